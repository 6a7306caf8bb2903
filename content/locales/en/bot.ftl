# Every text the bot shows, in English. Markup: <b>bold</b>, <i>italic</i>,
# <code>code</code>; a blank line starts a new paragraph. { $name } places a value.

## Everywhere

button-expired = This button has expired. Send /help to see what I can do.
button-older = That button is from an older message: nothing changed. Here is what is set now.
button-private-only = This works in our private chat
apology = Sorry, something went wrong on my side. Please try again in a moment.
still-working = Sorry, I'm slow right now. I'm still working on what you sent, so no need to repeat it. If nothing has changed in a minute, try again.
slow-down = You're going a little fast for me. Give me a minute, then try again.
private-only = Let's do /{ $command } in a private chat: your answers and settings stay between us.
private-only-button = Continue in private
unknown-command = I don't know /{ $name }. Send /help to see what I can do.
back = « Back
settings-back = « Settings
saved = Saved

## /start and /help

help-title = <b>What I can do</b>
help-line = /{ $command } — { $description }
help-buttons = Buttons under my messages work too.

command-start = welcome and set up your daily tip
command-tip = one tip for today (/tip boundaries: a tip on one topic)
command-nudges = daily tip: /nudges on, off or HH:MM
command-timezone = set your time zone, e.g. /timezone Europe/Berlin
command-checkin = a short check-in on give and take
command-history = your last check-ins
command-trend = a chart of your check-ins
command-settings = see and change your settings
command-stop = stop all messages from me
command-safety = where to find support, at any time
command-privacy = what I keep about you, and why
command-export = a copy of all your data
command-delete = erase all your data
command-help = this list
command-stats = numbers for operators

## Tips

tip-heading-today = Today's tip
tip-heading-checkin = A tip for “{ $area }”
tip-title = <b>{ $heading }: { $emoji } { $title }</b>
tip-why = <i>Why: { $why }</i>
tip-another = Another tip
tip-choose-topic = Choose a topic
tip-pick-topic = Pick a topic:
tip-topic-line = { $number }. { $emoji } { $title } (/tip { $id })
tip-unknown-topic = I don't know the topic “{ $topic }”. Pick one of these:
tip-keeping-to-care-group = <i>For now I'm keeping to tips about looking after yourself and your own life.</i>
tip-keeping-to-care = <i>Since your last check-in, I'm keeping to tips about looking after yourself and your own life, until a later check-in says otherwise.</i>

## The daily tip

nudge-heading = Your daily tip
nudge-heading-again = Your tip, an hour later as asked
nudge-later = Later (in 1 hour)
nudge-stop = Stop daily tips
nudge-pause = Pause daily tips
nudge-pause-offer = <i>If a daily message from me doesn't suit you right now, you can pause it. Nothing else changes, and /nudges on brings it back whenever you like.</i>
nudge-paused = Daily tips paused. /nudges on brings them back.
nudge-stopped = Daily tips are off. /nudges on brings them back.
nudge-already-later = It's already set to come back later.
nudge-again-at = I'll send it again at { $time }.

## Settings

daily-tip-off = Daily tip: <b>off</b>
daily-tip-on =
    Daily tip: <b>on</b> at <b>{ $time }</b>
    Next one: { $next }
settings-headline = ✅ { $headline }
settings-title = <b>Your settings</b>
settings-zone = Time zone: <b>{ $zone }</b> (it is { $now } there now)
settings-turn-off = Turn daily tip off
settings-turn-on = Turn daily tip on
settings-change-time = Change time
settings-change-zone = Change time zone
settings-reminder = Check-in reminder
zone-picker = Your time zone is <b>{ $zone }</b>.
welcome-later = No problem. Whenever you like: /tip for an idea, /nudges on for a daily one.
tip-on-notice = Daily tip on
tip-off = Daily tip off.
tip-off-notice = Daily tip off
tip-off-command = Daily tip off. Send /nudges on to bring it back.
zone-location-unknown = I couldn't tell the time zone from that location.
stopped = Done: I won't message you again unless you write to me. /start to come back.

## The weekly reminder

reminder-off = Weekly check-in reminder: <b>off</b>
reminder-on = Weekly check-in reminder: <b>{ $day } { $time }</b>
reminder-zone = <i>Times are in { $zone }.</i>
reminder-turn-off = Turn reminder off
reminder-turn-on = Turn reminder on
reminder-saved = Saved.
reminder-message =
    <b>Time for your weekly check-in</b>

    Ten quick questions about the give and take of your week, answered with buttons.
reminder-start = Start check-in

## The check-in

checkin-closed = This check-in is closed. Send /checkin to start a new one.
checkin-moved-on = That question has moved on.
checkin-title = <b>Check-in · { $number }/{ $total }</b>
checkin-title-correcting = <b>Changing your answers · { $number }/{ $total }</b>
checkin-progress = <i>{ $answered } answered · { $skipped } skipped</i>
checkin-keep = Keep
checkin-skip = Skip
checkin-cancel = Cancel
checkin-continue = Continue
checkin-start-new = Start a new one
checkin-in-progress = You have a check-in in progress (question { $number } of { $total }). Continue where you left off, or start over?
checkin-correcting-open = You were changing your answers to your check-in of { $day }. Continue, or start a new check-in?
checkin-an-earlier-day = an earlier day
checkin-notice-saved = Saved
checkin-notice-kept = Kept
checkin-notice-skipped = Skipped
checkin-notice-cancelled = Cancelled
checkin-notice-unchanged = Nothing changed
checkin-notice-done = Check-in saved
checkin-notice-nothing = Nothing recorded
checkin-cancelled = Check-in cancelled, and none of its answers kept. /checkin starts again.
checkin-correction-cancelled = No changes made: your check-in of { $day } stays as it was. /history shows it.
checkin-all-skipped = Every question was skipped, so nothing was recorded. /checkin starts again.
checkin-correction-empty = Nothing was changed: your earlier answers are kept.
checkin-only-latest = Only your latest check-in can be changed.
checkin-earlier-format = That check-in used earlier questions; /checkin starts a new one.
summary-title = <b>Check-in saved. Thank you for taking the time.</b>
summary-no-balance = Give and take: no answers on who gave what, so no balance this time.
summary-balance = Give and take: <b>{ $balance }</b>, { $band ->
    [gave_far_more] you gave far more than you received
    [gave_more] you gave more than you received
    [received_more] your partner gave more than you did
    [received_far_more] your partner gave far more than you did
   *[even] about even
}
summary-scale = <i>-100 you gave far more · 0 about even · +100 your partner gave far more</i>
summary-recent = Recent check-ins: { $balances }
summary-going-well = Going well: { $area } ({ $score }/100)
summary-needs-care = Needs care: { $area } ({ $score }/100)
summary-areas-scale = <i>Areas 0-100, higher is healthier; a give-and-take area scores 100 when even.</i>
summary-counts = { $answered } answered · { $skipped } skipped
summary-change = Change my answers
summary-reminder-on = Weekly reminder: on
summary-reminder-offer = Remind me weekly
history-empty = No check-ins yet. /checkin takes about two minutes.
history-title = <b>Your last check-ins</b>
history-scale = <i>give and take: -100 you gave far more · 0 even</i>
history-line = { $day }: give and take { $balance }
history-no-balance = no balance
history-needs-care = , needs care: { $area }
history-earlier = { " " }<i>(earlier questions)</i>
history-trend = /trend draws them as a chart.
trend-needs-two = A trend needs at least two check-ins with a balance; you have { $count }. /checkin adds one.
trend-caption = Your give and take over { $count } check-ins, and your latest areas.
chart-title = Give and take over time
chart-axis = ← I gave more · partner gave more →
chart-even = about even
chart-areas = Latest check-in, by area (0-100, higher is healthier)

## Safety

safety-in-group = That one is for a private chat with me.
safety-in-group-send = { safety-in-group } Send me /safety there.
safety-in-group-tap = { safety-in-group } Tap below, or send me /safety there.
safety-open-private = Open a private chat
safety-service = • <b>{ $name }</b>
safety-service-where = { $line } ({ $where })
safety-service-phone = { $line }: { $phone }
safety-service-note = { $line } · { $note }
safety-intro = You deserve to feel safe and respected. If something in your relationship frightens or hurts you, it is not your fault, and you don't have to face it alone. Here is where you can turn:
safety-emergency = <b>If you are in danger right now, call your local emergency number.</b>
safety-emergency-country = <b>If you are in danger right now, call your local emergency number ({ $country }: { $number }).</b>
safety-discreet = <i>Keeping this private: anyone who can open your phone can read this chat. To remove it, press and hold it in your chat list (swipe left on an iPhone, right-click on a computer) and choose Delete. /delete also erases everything I keep about you.</i>
safety-counselling = Find someone to talk it through with

## Privacy

export-about = Everything the coach bot keeps about you. /delete erases it.
export-sent = Here is everything I keep about you.
delete-confirm = This erases everything I keep about you: settings, tips seen, check-ins and answers. It can't be undone. Delete it all?
delete-yes = Yes, delete everything
delete-no = No, keep it
delete-done = Done: everything I kept about you is deleted. /start begins afresh.
delete-notice = Deleted
delete-kept-notice = Kept
delete-kept = Nothing was deleted.

## Operators

stats-title = <b>Stats</b>
stats-line = { $label }: { $value }
stats-users = Users
stats-opted_in = Daily tip on
stats-weekly_reminders = Weekly reminder on
stats-nudges_sent_today = Nudges sent today (UTC)
stats-nudges_failed_today = Nudges failed today (UTC)
stats-nudges_waiting = Nudges waiting or in flight
stats-checkins_this_week = Check-ins in the last 7 days
stats-blocked_users = Users who blocked the bot

## The terminal chat

console-hello = Coach bot, in your terminal. Type /help, /tip, or a button's number to press it: 3.1 for button 1 of message 3, or just 1 for the newest message. Ctrl-D quits.
console-bye = Bye. Your settings are saved.
console-pick = Pick a number from 1 to { $count }.
console-no-message = There is no message { $message } with buttons.
console-gone = That button is gone: its message has changed since.
console-open = Open { $url }

## Fixed texts: the welcome, and what the check-in says about a pattern or a safety answer

# The opening of the care message after a check-in answer that says the user does not feel
# safe or respected: the services, the emergency line and the discreet-use note follow it.
safety-care = Thank you for answering honestly. You deserve to feel safe and respected, and if you do not, it is not your fault. You do not have to carry this alone: someone you trust, or a confidential helpline, can help. Here is where you can turn:
# Under 80 words; shown with the reflection prompts and the counselling resource's button.
reassess = Your last few check-ins show you giving much more than you get back. That is not a verdict on you or your partner, just a pattern worth a pause: you deserve to receive as well as to give. In a quiet moment, the questions below may help you think about what you want. A friend you trust, a counsellor or a helpline can help you talk it through. For now, your tips lean toward self-respect, boundaries and honesty.
reflection-prompts =
    • What do you wish there were more of between you, and what less?
    • If the next six months felt like the last few weeks, how would that sit with you?
    • What would you tell a good friend who described these weeks to you?
partner-carrying = Your last few check-ins say your partner has been giving more than you lately. That can happen in a busy or hard stretch, and noticing it is already kind. When you can, let them know you see what they do, and ask what would help them this week. Your next tips lean toward appreciation.
