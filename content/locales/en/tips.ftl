# The strategies and their tips. $partner is how the user speaks of their partner:
# he, she, or they (the default: "your partner"). Keep each message's text on one line,
# since a line break in the text would show in the chat; a selector's variants go on
# lines of their own (Fluent requires it), which adds no line break to the text.

## mystery

strategy-mystery-title = Keep a little mystery
strategy-mystery-why = Being close doesn't mean reporting every minute. When part of your inner world stays your own, there is room for curiosity, for real conversations and for the pleasure of getting to know each other again. This is never about secrets or games, only about keeping some space that is yours.
tip-mystery-1 = When your partner asks about your day, share the one moment that stayed with you rather than the whole timeline. Leave room for questions, and be just as curious about { $partner ->
        [he] his
        [she] her
       *[they] their
    } day.
tip-mystery-2 = Keep one small idea, plan or daydream to yourself for a few days, simply to enjoy it. It isn't a secret and doesn't affect anyone; it is just yours for now.
tip-mystery-3 = Notice the pull to send a quick message about every little thing today. Let one or two moments go unshared and enjoy them on your own.
tip-mystery-4 = Plan a small, kind surprise for later this week: a note where your partner will find it, a song you think { $partner ->
        [he] he'd
        [she] she'd
       *[they] they'd
    } enjoy, or a favourite snack. Keep it light, with nothing expected in return.
tip-mystery-5 = Spend ten minutes today on something that lives only in your own head: a journal page, a sketch, a few pages of a book. There is no need to report on it.
tip-mystery-6 = Try one new thing today, however small: a different route home, a new recipe, an album you don't know yet. Bring it up later only if it fits the conversation.
tip-mystery-7 = Ask your partner one question you have never asked before, such as what { $partner ->
        [he] he
        [she] she
       *[they] they
    } dreamed of doing as a child, and answer it yourself too. Getting to know each other never really ends.

## appreciation

strategy-appreciation-title = Let your partner feel needed and valued
strategy-appreciation-why = Everyone wants to know that what they bring to a relationship matters. Asking each other for real help, and saying specifically what you noticed and valued, builds the feeling of being a team. It works best in both directions, and it never needs flattery or pretending to need help you don't.
tip-appreciation-1 = Think of one thing you could truly use a hand with this week, and ask your partner for it plainly. Pick something real: honest asking is what makes helping feel good.
tip-appreciation-2 = Tell your partner about one specific thing { $partner ->
        [he] he
        [she] she
       *[they] they
    } did recently that made your week easier. Naming the moment, like "thank you for listening on Tuesday night, it really helped", means more than a general compliment.
tip-appreciation-3 = The next time your partner offers to help, try a simple thank you instead of "I've got it". Letting someone share the load is part of being a team.
tip-appreciation-4 = Ask your partner's view on something where { $partner ->
        [he] his
        [she] her
       *[they] their
    } experience or judgment genuinely helps you, and take the answer seriously. Being trusted for what you know feels good to anyone.
tip-appreciation-5 = Notice today whether you thank your partner only for results, or for effort too. Choose one effort, even an unfinished one, and say that you saw it.
tip-appreciation-6 = Ask your partner today: "Is there anything I could help you with this week?" Offering help, not only asking for it, keeps being needed a two-way thing.
tip-appreciation-7 = Write down three things your partner brings to your life that you value. Pick one and tell { $partner ->
        [he] him
        [she] her
       *[they] them
    } about it this evening, in your own words.

## own-life

strategy-own-life-title = Keep your own life
strategy-own-life-why = A relationship is one important part of a full life, not all of it. Your friendships, interests and time alone keep you steady, and they give you fresh things to bring home and share. The same is true for your partner.
tip-own-life-1 = Message a friend you haven't spoken to in a while, and suggest a concrete day to catch up.
tip-own-life-2 = Give fifteen minutes today to a hobby or interest that is entirely yours, whether that is drawing, running, music or something else altogether.
tip-own-life-3 = Look at your week and reserve one evening or afternoon for yourself or your friends. Treat it like any other appointment you would keep.
tip-own-life-5 = Write down one thing you loved doing before this relationship, or something you have always wanted to try. Choose a first small step and put it in your calendar.
tip-own-life-6 = Take a short walk on your own with your phone on silent, and notice where your thoughts go when they are not waiting for a message.
tip-own-life-8 = Think of something you are good at or curious about, and give it some time this week: a class, a library visit, an hour of practice. It is yours, and it counts.
tip-own-life-9 = Plan one thing to look forward to this week that is only for you, however small: a film, a swim, a coffee somewhere you like.

## letting-go

strategy-letting-go-title = Let go of anger and resentment
strategy-letting-go-why = Anger is a normal signal that something matters to you, but held on to, it slowly hardens into resentment. Cooling down before you talk, and choosing what is worth raising and what you can set down, lets you both speak kindly. Letting go never means staying silent about something that keeps hurting.
tip-letting-go-1 = If something your partner said or did is bothering you today, give it time before you answer. Take twenty minutes, a walk or a few slow breaths, then decide what you actually want to say.
tip-letting-go-2 = Write down an old grievance you keep coming back to. Ask yourself honestly: does this need a conversation, or am I ready to set it down?
tip-letting-go-3 = After a tense moment today, notice what sits underneath the irritation: hurt, worry, tiredness? Naming it to yourself first makes it easier to talk calmly when you are both ready.
tip-letting-go-4 = When you bring up something that hurt, start with how you felt rather than what { $partner ->
        [he] he
        [she] she
       *[they] they
    } did wrong. For example: "I felt left out when the plans changed without me."
tip-letting-go-5 = Think of one small thing that annoyed you this week and consciously decide to let it go. Notice how your body feels once you have.
tip-letting-go-6 = If a conversation is getting heated, suggest a pause: "Can we come back to this in an hour? I want to say it well." Then return to it as promised, and give your partner the same pause if { $partner ->
        [he] he asks
        [she] she asks
       *[they] they ask
    } for one.
tip-letting-go-7 = Before bed, name one thing from today that you are letting go of. It can be as small as a sharp tone or a late reply.

## genuine

strategy-genuine-title = Be genuine about what you need
strategy-genuine-why = Nobody can meet a need they have never heard about. Saying plainly what matters to you, with expectations that fit real life, lets your partner know the real you and gives { $partner ->
        [he] him
        [she] her
       *[they] them
    } a fair chance to respond. Asking about { $partner ->
        [he] his
        [she] her
       *[they] their
    } needs in return keeps it a conversation between equals.
tip-genuine-1 = Finish this sentence privately: "What I would really like more of right now is..." Keep the answer simple and concrete.
tip-genuine-2 = Choose one small need and say it out loud today in one clear sentence, such as "I'd love an hour together on Sunday without phones."
tip-genuine-3 = Notice a moment today when you said "it's fine" and it wasn't. You don't need to fix it right now; just notice what you were really feeling.
tip-genuine-4 = Check one expectation you hold about your partner. Have you ever said it out loud, or are you hoping { $partner ->
        [he] he'll
        [she] she'll
       *[they] they'll
    } guess? Is it realistic for a busy, ordinary week?
tip-genuine-5 = Share one honest opinion today that you might usually keep to yourself to avoid friction, about a film, a plan or a choice. Say it kindly, and stay curious about your partner's view.
tip-genuine-6 = Ask your partner what { $partner ->
        [he] he
        [she] she
       *[they] they
    } would like more of this month, and listen without defending or explaining. Honesty about needs works in both directions.
tip-genuine-7 = Think of something you have been doing mainly to please someone else. Try one small moment today of doing it your own way, and see what happens.

## boundaries

strategy-boundaries-title = Set kind, clear boundaries
strategy-boundaries-why = A boundary is less a wall than a signpost: it shows where your time and energy are going, so you both know where you stand. Saying no when you need to, and respecting your partner's limits just as readily, is a way of respecting each other.
tip-boundaries-1 = Tell your partner what is filling your week, such as deadlines, family plans or time you need for yourself, and ask about { $partner ->
        [he] his
        [she] her
       *[they] their
    } week too. Knowing early saves misunderstandings later.
tip-boundaries-2 = Practise one kind, clear no today. It can be small: "I can't tonight, but Thursday works." No long apology needed.
tip-boundaries-3 = Notice one moment when you said yes but meant no. What would a gentle, honest answer have sounded like?
tip-boundaries-4 = Write down one limit that matters to you, such as rest after work or how you'd like disagreements to be handled. Think about sharing it with your partner this week, and asking about { $partner ->
        [he] his
        [she] hers
       *[they] theirs
    }.
tip-boundaries-5 = Ask your partner whether { $partner ->
        [he] he needs
        [she] she needs
       *[they] they need
    } more space or time for anything right now, and respect the answer without taking it personally.
tip-boundaries-6 = Protect one block of time today for something that matters to you, and let the people around you know you are not available then.
tip-boundaries-7 = If a boundary meets resistance, restate it calmly once, without over-explaining. Afterwards, notice how you feel.
tip-own-life-4 = Notice whether you tend to drop your own plans whenever your partner becomes free. If so, keep the next plan you make with someone else.

## presence

strategy-presence-title = Balance presence and time apart
strategy-presence-why = Being fully there when you are together, and at ease when you are apart, keeps a relationship alive. Time apart is not coldness: it gives you both something to miss and something new to bring back.
tip-presence-1 = During your next meal or conversation together, put your phone in another room and give your full attention for at least fifteen minutes.
tip-presence-2 = When your partner tells you about { $partner ->
        [he] his
        [she] her
       *[they] their
    } day, ask one follow-up question that shows you were really listening.
tip-presence-3 = Notice whether you feel restless when you are apart. If so, fill an hour with something absorbing instead of checking your phone.
tip-presence-4 = Plan one short activity together this week that you both enjoy, such as a walk, cooking or a game, and keep it free of chores and screens.
tip-presence-5 = If you have spent nearly every evening together lately, suggest one evening apart this week for friends or hobbies, and notice how it feels to reconnect afterwards.
tip-presence-6 = The next time you spend a day apart, send one warm, simple message rather than a stream of updates.
tip-presence-7 = When you see each other after time apart, take a minute to greet each other properly before moving on to plans and errands.
tip-own-life-7 = Encourage your partner to make time for { $partner ->
        [he] his
        [she] her
       *[they] their
    } own friends or interests this week too, and mean it. Two full lives make a richer shared one.

## reciprocity

strategy-reciprocity-title = Notice the give and take
strategy-reciprocity-why = A good partnership needs effort from both people, even if it is never exactly even. Noticing the balance and asking for what you need are acts of self-respect. If, week after week, you keep giving far more than you get back, it is worth pausing to think about what you want from the relationship.
tip-reciprocity-1 = Think back over this week: who started conversations, made plans and did the small kind things? Just notice, without keeping score.
tip-reciprocity-2 = Write down two things you gave this week and two things you received. Look at the list with curiosity, not judgment.
tip-reciprocity-3 = If one area feels uneven, such as planning time together or household tasks, ask your partner for one specific change, like "Could you book our next evening out?" Then ask what { $partner ->
        [he] he'd
        [she] she'd
       *[they] they'd
    } like from you in return.
tip-reciprocity-4 = Notice one thing your partner does for you that you might be taking for granted, and thank { $partner ->
        [he] him
        [she] her
       *[they] them
    } for it today.
tip-reciprocity-5 = Ask yourself: when I give, do I give freely, or hoping for something back? Both are human; it simply helps to know which.
tip-reciprocity-6 = If the effort has felt one-sided for a while, take ten minutes to write down how that feels and what you would like to be different.
tip-reciprocity-7 = Talk to a friend you trust about how balanced your relationship feels to you. An outside view can help you see things more clearly.

## care

strategy-care-title = Look after yourself
strategy-care-why = When things feel heavy, looking after yourself comes first. Rest, small comforts and people on your side make it easier to think clearly and to decide, in your own time, what you want next.
tip-care-1 = Think of one person you trust, a friend, a relative or a colleague, and get in touch today, even with a short "could we talk this week?". You don't have to explain everything at once.
tip-care-2 = Rest counts as doing something. If you can, take twenty quiet minutes today with nothing to achieve, or give yourself one early night this week.
tip-care-3 = If it helps, write down what you notice: what happened, when, and how you felt. Keep it somewhere only you can open, or with someone you trust.
tip-care-4 = A counsellor or a confidential helpline can help you sort through how you feel, whenever you are ready and at your own pace. /safety lists a few you can contact.
tip-care-5 = Do one small thing today that is only for you: a song you love, a warm drink somewhere quiet, a few pages of a book. It needs no reason.
tip-care-6 = Check in with your body for a moment. Are you thirsty, hungry, tired, tense? Take care of one of those needs before anything else.
tip-care-7 = Keep the numbers of a few people you could call at short notice somewhere easy to find, and think about where you could go if you ever needed some space.
tip-care-8 = Speak to yourself today the way you would speak to a good friend in your place. What you feel makes sense, and you deserve kindness, including your own.
