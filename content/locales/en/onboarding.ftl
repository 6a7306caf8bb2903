# The first steps, how the bot speaks to each user (language, partner wording), and the
# kind answer to free text. $partner is how the user speaks of their partner.

## Welcome and consent (the welcome stays under 50 words)

welcome-short = Hi! I'm a small daily coach for a relationship that lasts: one practical tip a day and a short weekly check-in on the give and take between you and your partner. I'm not therapy. To remember your settings and answers I need to store them: /privacy has the details.
welcome-agree = Sounds good
welcome-back = Welcome back. What would you like to do?
onboarding-thanks = Thank you. Four quick questions; you can skip any of them and change everything later in /settings.
onboarding-skip = Skip
onboarding-zone = <b>1/4 · Your time zone</b>, so that messages come at your hour. Pick it below, type your city (for example “Berlin” or “São Paulo”), or share your location (📎 → Location).
onboarding-time = <b>2/4 · Your daily tip</b>. When would you like one small tip each day, { $zone } time? Pick a time, or type one like 8pm or 07:30.
onboarding-no-daily = No daily tip
onboarding-no-daily-set = No daily tip for now. /nudges on turns it on whenever you like.
onboarding-partner = <b>3/4 · Your partner</b>. How should I speak of your partner?
onboarding-reminder = <b>4/4 · Weekly check-in</b>. Shall I remind you once a week, on { $day } at { $time }, to take the two-minute check-in?
onboarding-reminder-yes = Yes, remind me
onboarding-reminder-no = No, thanks
onboarding-reminder-on = Weekly reminder on.
onboarding-reminder-off = No weekly reminder; /checkin works whenever you like.
onboarding-done = All set. /tip gives you an idea right now, /checkin starts the check-in, and /settings changes anything.

## Free text: a kind word, and buttons (what was typed is not read or kept)

free-text-kind = Thank you for writing. I can't read messages, and I don't keep what you type: I work with buttons and a few commands (/help lists them). Here is what I can offer right now:
go-tip = 💡 A tip for today
go-checkin = 📝 Weekly check-in
go-safety = 🤝 Support and safety

## Language

command-language = choose the language I write in
language-choose = I write to you in <b>{ $language }</b>. Choose another:
language-set = Done: I'll write to you in English from now on.

## The partner

partner-he = he / him
partner-she = she / her
partner-they = they / just “my partner”
partner-set = Saved: I'll speak of your partner { $partner ->
        [he] as “he”.
        [she] as “she”.
       *[they] as “your partner”.
    }
partner-menu = How I speak of your partner: <b>{ $wording }</b>
partner-name-is = Their first name, kept only for you: <b>{ $name }</b>
partner-name-add = Add or change a first name
partner-name-forget = Forget the name
partner-name-ask = Type your partner's first name (or anything you call them). It stays in your data, and /export shows it.
partner-name-saved = Saved: { $name }.
settings-partner = Partner wording
settings-language = Language
settings-partner-line = Your partner: <b>{ $wording }</b>
settings-language-line = Language: <b>{ $language }</b>

## Telegram's own texts about the bot (its profile, and the chat before /start)

bot-description = A small daily coach for relationships that last: one practical tip a day at your hour, a short weekly check-in on the give and take, and support when you need it. For every kind of couple, in English, Spanish and Russian.
bot-short-description = One practical tip a day and a weekly give-and-take check-in, for a relationship that lasts.

## Privacy

privacy-details =
    <b>Your privacy</b>

    <b>What I keep, and why</b>
    • your Telegram user id and chat id, to answer you and send the daily tip;
    • your language, time zone, daily tip time and weekly reminder, to write to you in your language at your hour;
    • how I should speak of your partner, and a first name if you gave one;
    • which tips you saw and when, so you never get the same one twice in a row;
    • when each daily tip or reminder went out (kept 35 days), so nobody gets two in one day;
    • your check-in answers (a number per answer) and their scores, to show your trend;
    • when you agreed to all this (the “Sounds good” button). Before that, nothing is kept.
    • if you check in together with your partner (/partner): the pairing (your first names as your apps give them, since when, whether each of you shows their answers) and your shared weeks (how your two views compare in each area, never the answers). An invitation keeps only a fingerprint of its code, for 24 hours.

    <b>What your partner sees</b>: your first name and the shared weeks; your answers only if you both choose it; never anything about the safety question. Ending the pairing erases the shared weeks; your partner is told only that it ended, also when you /delete.

    <b>What I never keep</b>: messages you type (except a city, a time or a name when I ask for one), your location (a shared location is turned into a time zone name and dropped), your own name or phone number.

    <b>How long</b>: until you delete it. Nothing is shared with anyone; logs hold no messages.

    /export sends you everything I keep about you as a file.
    /delete erases all of it, at once and for good.
    /stop ends all messages from me.
