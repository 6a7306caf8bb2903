# The weekly check-in: questions, their areas and answers; then earlier formats' texts.
# Answers are button labels (at most 40 characters), each message on one line. Balance
# questions run from 1 "I gave far more" through 3 "about even" to 5 "my partner gave far
# more"; health questions from worst (1) to best (5). The earlier format's initiative
# question ran the other way (1: my partner), as its answers were stored.

checkin-intro = Ten quick questions about your week together. There are no right or wrong answers: just a moment to notice the give and take between you.

## initiative

question-initiative = This week, who reached out and suggested plans more often?
question-initiative-area = Plans and initiative
question-initiative-answer-1 = Me, by far
question-initiative-answer-2 = Me, a bit more
question-initiative-answer-3 = About even
question-initiative-answer-4 = My partner, a bit more
question-initiative-answer-5 = My partner, by far

## effort

question-effort = Who put more into the everyday things, like chores, errands and the small jobs that keep life running?
question-effort-area = Everyday effort
question-effort-answer-1 = Me, by far
question-effort-answer-2 = Me, a bit more
question-effort-answer-3 = About even
question-effort-answer-4 = My partner, a bit more
question-effort-answer-5 = My partner, by far

## support

question-support = When one of you needed a listening ear or some support, who showed up more?
question-support-area = Listening and support
question-support-answer-1 = Me, by far
question-support-answer-2 = Me, a bit more
question-support-answer-3 = About even
question-support-answer-4 = My partner, a bit more
question-support-answer-5 = My partner, by far
question-support-not-applicable = Neither of us needed support

## appreciation

question-appreciation = Who showed more appreciation, with a thank-you, a kind word or noticing what the other did?
question-appreciation-area = Appreciation
question-appreciation-answer-1 = Me, by far
question-appreciation-answer-2 = Me, a bit more
question-appreciation-answer-3 = About even
question-appreciation-answer-4 = My partner, a bit more
question-appreciation-answer-5 = My partner, by far

## overall

question-overall = All in all, weighing what each of you put in and got back this week, how did it feel?
question-overall-area = Overall fairness
question-overall-answer-1 = I put in far more
question-overall-answer-2 = I put in a bit more
question-overall-answer-3 = About even
question-overall-answer-4 = My partner put in a bit more
question-overall-answer-5 = My partner put in far more

## understood

question-understood = When you shared something that mattered to you, did you feel understood and cared for?
question-understood-area = Feeling understood
question-understood-answer-1 = Not at all
question-understood-answer-2 = A little
question-understood-answer-3 = Somewhat
question-understood-answer-4 = Mostly
question-understood-answer-5 = Fully
question-understood-not-applicable = I didn't share anything like that

## own_time

question-own-time = Did you have time for your own friends, interests and rest?
question-own-time-area = Your own life
question-own-time-answer-1 = None at all
question-own-time-answer-2 = A little
question-own-time-answer-3 = Some
question-own-time-answer-4 = A fair amount
question-own-time-answer-5 = Plenty

## honesty

question-honesty = Could you say honestly what you need, without holding back?
question-honesty-area = Honesty about needs
question-honesty-answer-1 = Not at all
question-honesty-answer-2 = A little
question-honesty-answer-3 = Somewhat
question-honesty-answer-4 = Mostly
question-honesty-answer-5 = Fully

## letting_go

question-letting-go = Could you let go of irritation instead of carrying it into the next day?
question-letting-go-area = Letting go
question-letting-go-answer-1 = Not at all
question-letting-go-answer-2 = A little
question-letting-go-answer-3 = Somewhat
question-letting-go-answer-4 = Mostly
question-letting-go-answer-5 = Fully
question-letting-go-not-applicable = Nothing needed letting go

## safe

question-safe = Did you feel safe and respected with your partner this week?
question-safe-area = Safety and respect
question-safe-answer-1 = Not at all
question-safe-answer-2 = A little
question-safe-answer-3 = Somewhat
question-safe-answer-4 = Mostly
question-safe-answer-5 = Completely

## earlier questions, format 1

earlier1-initiative = This week, who reached out and made plans more often?
earlier1-initiative-area = Initiative
earlier1-initiative-answer-1 = Almost always my partner
earlier1-initiative-answer-2 = Mostly my partner
earlier1-initiative-answer-3 = About equal
earlier1-initiative-answer-4 = Mostly me
earlier1-initiative-answer-5 = Almost always me

earlier1-appreciated = Did you feel appreciated for what you gave this week?
earlier1-appreciated-area = Appreciated
earlier1-appreciated-answer-1 = Not at all
earlier1-appreciated-answer-2 = A little
earlier1-appreciated-answer-3 = Somewhat
earlier1-appreciated-answer-4 = Mostly
earlier1-appreciated-answer-5 = Completely

earlier1-support = When you needed support this week, did your partner show up for you?
earlier1-support-area = Support
earlier1-support-answer-1 = Not at all
earlier1-support-answer-2 = Rarely
earlier1-support-answer-3 = Sometimes
earlier1-support-answer-4 = Mostly
earlier1-support-answer-5 = Every time

earlier1-own-time = Did you have time for your own friends and passions this week?
earlier1-own-time-area = Own time
earlier1-own-time-answer-1 = None at all
earlier1-own-time-answer-2 = A little
earlier1-own-time-answer-3 = Some
earlier1-own-time-answer-4 = A fair amount
earlier1-own-time-answer-5 = Plenty

earlier1-boundaries = Did your partner respect your boundaries this week?
earlier1-boundaries-area = Boundaries
earlier1-boundaries-answer-1 = Not at all
earlier1-boundaries-answer-2 = A little
earlier1-boundaries-answer-3 = Somewhat
earlier1-boundaries-answer-4 = Mostly
earlier1-boundaries-answer-5 = Completely

earlier1-resentment = Were you able to let go of resentment this week, rather than hold on to it?
earlier1-resentment-area = Letting go
earlier1-resentment-answer-1 = Not at all
earlier1-resentment-answer-2 = A little
earlier1-resentment-answer-3 = Somewhat
earlier1-resentment-answer-4 = Mostly
earlier1-resentment-answer-5 = Completely

earlier1-honesty = Could you be honest with your partner about what you need?
earlier1-honesty-area = Honesty
earlier1-honesty-answer-1 = Not at all
earlier1-honesty-answer-2 = A little
earlier1-honesty-answer-3 = Somewhat
earlier1-honesty-answer-4 = Mostly
earlier1-honesty-answer-5 = Completely

earlier1-safe = Did you feel safe and respected in your relationship this week?
earlier1-safe-area = Safety
earlier1-safe-answer-1 = Not at all
earlier1-safe-answer-2 = A little
earlier1-safe-answer-3 = Somewhat
earlier1-safe-answer-4 = Mostly
earlier1-safe-answer-5 = Completely
