# Pairing two people (/partner), the shared week's mirror (/mirror) and the pairing's
# messages. $partner is how the reader speaks of their partner; $name is the other
# member's first name as their app gives it (or pair-no-name).

command-partner = check in together with your partner
command-mirror = your latest shared week again

settings-pairing = Check in together

## /partner

pair-title = <b>Checking in together</b>
pair-about =
    You can invite your partner to check in with you. Each of you answers your own check-in, privately. When you have both finished one in the same week, you each get a “shared week”: area by area, where your views meet and where they differ.

    <b>Your partner will see</b>: that you're paired, your first name, and each shared week.
    <b>Your partner will never see</b>: your answers (unless you both choose to show them), your tips, your settings, or anything about the question on safety.

    Either of you can end the pairing at any time. This is entirely optional: the bot works just as well on your own.
pair-invite = Invite my partner
pair-invite-again = Make a new invitation
pair-withdraw = Withdraw the invitation
pair-invite-open = Your invitation is open until { $until }. A new one replaces it.
pair-invite-withdrawn = Invitation withdrawn: its link and code no longer work.
pair-invitation =
    <b>Your invitation</b>

    Send this link to your partner:
    { $link }

    Or they can type <code>/partner { $code }</code> in this chat.
    It works once, for { $hours } hours. I'll tell you when they accept.
pair-invitation-code-only =
    <b>Your invitation</b>

    Your partner can type <code>/partner { $code }</code> in their chat with me.
    It works once, for { $hours } hours. I'll tell you when they accept.
pair-share = Send the link
pair-share-text = Would you like to check in with me each week? It's private: we each answer on our own.
pair-copy-code = Copy the code
pair-no-name = your partner
pair-paired = You're paired with <b>{ $name }</b>.
pair-shared = Each of you answers your own check-in, privately. When you've both finished one in the same week, you each get a shared week: where your views meet and where they differ, never the answers themselves. Nothing about the safety question is ever shared.
pair-answers = Show my answers in our shared weeks: <b>{ $mine ->
        [on] yes
       *[off] no
    }</b>. They appear only if you both choose it; { $theirs ->
        [on] { $partner ->
            [he] he has
            [she] she has
           *[they] your partner has
        }.
       *[off] { $partner ->
            [he] he hasn't
            [she] she hasn't
           *[they] your partner hasn't
        }.
    }
pair-show-answers = Show my answers
pair-hide-answers = Stop showing my answers
pair-answers-shown = Saved: your answers appear in your shared weeks, but only once you've both chosen it.
pair-answers-hidden = Saved: your answers stay private.
pair-unpair = End the pairing
pair-unpair-confirm = End the pairing? Nothing more will be shared between your check-ins, and the shared weeks go. Your own check-ins stay as they are. Your partner is told only that the pairing ended.
pair-unpair-yes = Yes, end it
pair-unpair-no = No, keep it
pair-ended-you = The pairing has ended. Nothing more is shared, and your own check-ins are as they were. /partner can make a new invitation whenever you like.
pair-not-paired = You're not paired with anyone right now. /partner can make an invitation.
pair-ended-partner = Your pairing has ended. Nothing more is shared between your check-ins; your own check-ins and settings are as they were.
pair-open = Checking in together

## Opening an invitation

pair-code-not-valid = That invitation isn't valid. Ask for a new one: it can be made with /partner.
pair-own-code = That's your own invitation: send it to your partner, who opens it in their chat with me.
pair-already-paired = You're already paired. To pair with someone else, first end the pairing in /partner.
pair-invited = <b>{ $name }</b> has invited you to check in together.
pair-invited-newcomer = I'm a small coaching bot: a practical tip a day and a short weekly check-in. To pair you, I need to store your settings and answers (/privacy has the details). Accepting means you agree to that.
pair-accept = Accept
pair-decline = No, thanks
pair-accepted = You're now paired with <b>{ $name }</b>. When you've both finished a check-in in the same week, you'll each get your shared week here. /checkin starts yours; /partner shows what is shared.
pair-declined = No problem: you're not paired, and nothing was shared. { $partner ->
        [he] He
        [she] She
       *[they] Your partner
    } will only hear that the invitation wasn't taken up.
pair-declined-inviter = Your invitation wasn't taken up. Nothing was shared. You can make a new one with /partner whenever it feels right.
pair-accepted-inviter = <b>{ $name }</b> accepted your invitation: you're now paired. When you've both finished a check-in in the same week, you'll each get your shared week here.

## After a safety answer (private: nothing of it reaches the partner)

pair-safety-offer = You're paired with someone in this bot. If you'd rather nothing of your check-ins is shared for now, you can pause it or end the pairing. Your partner won't be told why; if you end it, they hear only that it ended.
pair-pause = Pause sharing
pair-end = End the pairing
pair-paused = Sharing is paused: nothing of your check-ins goes to your partner, and they are not told. /partner resumes it when you want.
pair-paused-line = <i>You have paused sharing.</i>
pair-resume = Resume sharing
pair-resumed = Sharing is on again, from your next check-in.

## The shared week

mirror-title = 🪞 <b>Your shared week</b> · week of { $week }
mirror-intro = You and { $name } have both finished a check-in this week. Here is where your views meet and where they differ. Neither of you sees the other's answers.
mirror-intro-answers = You and { $name } have both finished a check-in this week. Here is where your views meet and where they differ; you both chose to show your answers, so they're here too.
mirror-meet = <b>Where you see it alike</b>
mirror-differ = <b>Where you see it differently</b>
mirror-line = • <b>{ $area }</b>: { $view }
mirror-answers = { "  " }<i>you: “{ $mine }” · { $partner ->
        [he] him
        [she] her
       *[they] your partner
    }: “{ $theirs }”</i>
mirror-both-even = you both feel it was about even.
mirror-both-you = you both feel you gave more here this week.
mirror-both-partner = you both feel { $partner ->
        [he] he
        [she] she
       *[they] your partner
    } gave more here this week.
mirror-each-gives = you each feel you were the one giving more.
mirror-each-receives = you each feel the other gave more: worth saying out loud.
mirror-even-you = to you it felt about even; { $partner ->
        [he] he feels
        [she] she feels
       *[they] your partner feels
    } you gave more.
mirror-even-partner = to you it felt about even; { $partner ->
        [he] he feels he
        [she] she feels she
       *[they] your partner feels they
    } gave more.
mirror-you-even = you feel you gave more; to { $partner ->
        [he] him
        [she] her
       *[they] your partner
    } it felt about even.
mirror-partner-even = you feel { $partner ->
        [he] he
        [she] she
       *[they] your partner
    } gave more; to { $partner ->
        [he] him
        [she] her
       *[they] them
    } it felt about even.
mirror-both-well = it felt good for you both.
mirror-both-low = it felt hard for you both this week.
mirror-similar = it felt much the same for you both.
mirror-you-more = it felt better for you than for { $partner ->
        [he] him
        [she] her
       *[they] your partner
    }.
mirror-partner-more = it felt better for { $partner ->
        [he] him
        [she] her
       *[they] your partner
    } than for you.
mirror-nothing-shared = This time you didn't answer the same areas, so there is nothing to set side by side. Next week, perhaps.
mirror-closing = Two views of one week are not a verdict on either of you. Where they differ is a good place to start, with curiosity: “What was this week like on your side?”
mirror-waiting = You're paired: once you've both finished a check-in this week, you'll each get your shared week here.
mirror-not-paired = Shared weeks come when you check in together with your partner.
mirror-none-yet = No shared week yet. It comes once you've both finished a check-in in the same week.
partner-reminder = Your partner has finished this week's check-in. When you've done yours, you'll both see your shared week. It takes about two minutes.

## Looking back

history-mirror = { " " }🪞
history-mirror-legend = <i>🪞 a shared week with your partner (/mirror shows the latest)</i>
trend-partner-caption = The dashed line is how your partner saw the weeks you shared, on the same scale: up, your partner gave more; down, you did.
chart-you = You
chart-partner = Your partner's view
