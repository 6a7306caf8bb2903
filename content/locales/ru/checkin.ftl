# Еженедельный чек-ин: вопросы, их сферы и ответы; затем тексты прежних форматов.
# Ответы — это надписи на кнопках (не длиннее 40 символов), текст каждого сообщения в одну
# строку. Вопросы о балансе идут от 1 «намного больше отдаю я» через 3 «примерно поровну»
# к 5 «намного больше отдаёт партнёр»; вопросы о самочувствии — от худшего (1) к лучшему (5).
# Вопрос об инициативе в прежнем формате шёл наоборот (1: партнёр): так хранились ответы.

checkin-intro = Десять быстрых вопросов о вашей неделе вместе. Правильных и неправильных ответов нет — это просто минута, чтобы заметить, как вы отдаёте и получаете друг от друга.

## initiative

question-initiative = Кто на этой неделе чаще проявлял инициативу: писал, звонил, предлагал планы?
question-initiative-area = Планы и инициатива
question-initiative-answer-1 = Намного чаще я
question-initiative-answer-2 = Чуть чаще я
question-initiative-answer-3 = Примерно поровну
question-initiative-answer-4 = { $partner ->
        [she] Чуть чаще партнёрша
       *[they] Чуть чаще партнёр
    }
question-initiative-answer-5 = { $partner ->
        [she] Намного чаще партнёрша
       *[they] Намного чаще партнёр
    }

## effort

question-effort = Кто больше вкладывался в повседневное: уборку, дела по дому и все мелочи, на которых держится быт?
question-effort-area = Повседневные дела
question-effort-answer-1 = Намного больше я
question-effort-answer-2 = Чуть больше я
question-effort-answer-3 = Примерно поровну
question-effort-answer-4 = { $partner ->
        [she] Чуть больше партнёрша
       *[they] Чуть больше партнёр
    }
question-effort-answer-5 = { $partner ->
        [she] Намного больше партнёрша
       *[they] Намного больше партнёр
    }

## support

question-support = Когда кому-то из вас нужно было, чтобы выслушали и поддержали, кто чаще оказывался рядом?
question-support-area = Внимание и поддержка
question-support-answer-1 = Намного чаще я
question-support-answer-2 = Чуть чаще я
question-support-answer-3 = Примерно поровну
question-support-answer-4 = { $partner ->
        [she] Чуть чаще партнёрша
       *[they] Чуть чаще партнёр
    }
question-support-answer-5 = { $partner ->
        [she] Намного чаще партнёрша
       *[they] Намного чаще партнёр
    }
question-support-not-applicable = Поддержка никому из нас не понадобилась

## appreciation

question-appreciation = Кто чаще показывал, что ценит другого: благодарил, говорил доброе слово, замечал, что другой сделал?
question-appreciation-area = Признательность
question-appreciation-answer-1 = Намного чаще я
question-appreciation-answer-2 = Чуть чаще я
question-appreciation-answer-3 = Примерно поровну
question-appreciation-answer-4 = { $partner ->
        [she] Чуть чаще партнёрша
       *[they] Чуть чаще партнёр
    }
question-appreciation-answer-5 = { $partner ->
        [she] Намного чаще партнёрша
       *[they] Намного чаще партнёр
    }

## overall

question-overall = Если в целом взвесить, сколько каждый из вас вложил и получил на этой неделе, какое у вас ощущение?
question-overall-area = Общая справедливость
question-overall-answer-1 = Мой вклад намного больше
question-overall-answer-2 = Мой вклад чуть больше
question-overall-answer-3 = Примерно поровну
question-overall-answer-4 = { $partner ->
        [she] Вклад партнёрши чуть больше
       *[they] Вклад партнёра чуть больше
    }
question-overall-answer-5 = { $partner ->
        [she] Вклад партнёрши намного больше
       *[they] Вклад партнёра намного больше
    }

## understood

question-understood = Когда вы делились чем-то важным для вас, чувствовали ли вы, что вас понимают и о вас заботятся?
question-understood-area = Чувство, что вас понимают
question-understood-answer-1 = Совсем нет
question-understood-answer-2 = Немного
question-understood-answer-3 = Отчасти
question-understood-answer-4 = В основном да
question-understood-answer-5 = Полностью
question-understood-not-applicable = Такого случая не было

## own_time

question-own-time = Было ли у вас время на своих друзей, увлечения и отдых?
question-own-time-area = Своя жизнь
question-own-time-answer-1 = Совсем не было
question-own-time-answer-2 = Совсем чуть-чуть
question-own-time-answer-3 = Немного
question-own-time-answer-4 = Довольно много
question-own-time-answer-5 = Сколько угодно

## honesty

question-honesty = Получалось ли у вас честно говорить о том, что вам нужно, не сдерживаясь?
question-honesty-area = Честность о своих потребностях
question-honesty-answer-1 = Совсем нет
question-honesty-answer-2 = Немного
question-honesty-answer-3 = Отчасти
question-honesty-answer-4 = В основном да
question-honesty-answer-5 = Полностью

## letting_go

question-letting-go = Получалось ли у вас отпускать раздражение в тот же день, а не носить в себе до следующего?
question-letting-go-area = Умение отпускать
question-letting-go-answer-1 = Совсем нет
question-letting-go-answer-2 = Немного
question-letting-go-answer-3 = Отчасти
question-letting-go-answer-4 = В основном да
question-letting-go-answer-5 = Полностью
question-letting-go-not-applicable = Отпускать было нечего

## safe

question-safe = Чувствовали ли вы на этой неделе, что рядом с { $partner ->
        [she] партнёршей
       *[they] партнёром
    } вы в безопасности и вас уважают?
question-safe-area = Безопасность и уважение
question-safe-answer-1 = Совсем нет
question-safe-answer-2 = Немного
question-safe-answer-3 = Отчасти
question-safe-answer-4 = В основном да
question-safe-answer-5 = Полностью

## earlier questions, format 1

earlier1-initiative = Кто на этой неделе чаще выходил на связь и строил планы?
earlier1-initiative-area = Инициатива
earlier1-initiative-answer-1 = { $partner ->
        [she] Почти всегда партнёрша
       *[they] Почти всегда партнёр
    }
earlier1-initiative-answer-2 = { $partner ->
        [she] Чаще партнёрша
       *[they] Чаще партнёр
    }
earlier1-initiative-answer-3 = Примерно поровну
earlier1-initiative-answer-4 = Чаще я
earlier1-initiative-answer-5 = Почти всегда я

earlier1-appreciated = Чувствовали ли вы на этой неделе, что то, что вы даёте, ценят?
earlier1-appreciated-area = Признание
earlier1-appreciated-answer-1 = Совсем нет
earlier1-appreciated-answer-2 = Немного
earlier1-appreciated-answer-3 = Отчасти
earlier1-appreciated-answer-4 = В основном да
earlier1-appreciated-answer-5 = Полностью

earlier1-support = Когда вам на этой неделе нужна была поддержка, { $partner ->
        [she] партнёрша была рядом?
       *[they] партнёр был рядом?
    }
earlier1-support-area = Поддержка
earlier1-support-answer-1 = Совсем нет
earlier1-support-answer-2 = Редко
earlier1-support-answer-3 = Иногда
earlier1-support-answer-4 = Чаще всего
earlier1-support-answer-5 = Каждый раз

earlier1-own-time = Было ли у вас на этой неделе время на своих друзей и увлечения?
earlier1-own-time-area = Своё время
earlier1-own-time-answer-1 = Совсем не было
earlier1-own-time-answer-2 = Совсем чуть-чуть
earlier1-own-time-answer-3 = Немного
earlier1-own-time-answer-4 = Довольно много
earlier1-own-time-answer-5 = Сколько угодно

earlier1-boundaries = { $partner ->
        [she] Уважала ли партнёрша ваши границы на этой неделе?
       *[they] Уважал ли партнёр ваши границы на этой неделе?
    }
earlier1-boundaries-area = Границы
earlier1-boundaries-answer-1 = Совсем нет
earlier1-boundaries-answer-2 = Немного
earlier1-boundaries-answer-3 = Отчасти
earlier1-boundaries-answer-4 = В основном да
earlier1-boundaries-answer-5 = Полностью

earlier1-resentment = Получалось ли у вас на этой неделе отпускать обиды, а не копить их?
earlier1-resentment-area = Умение отпускать
earlier1-resentment-answer-1 = Совсем нет
earlier1-resentment-answer-2 = Немного
earlier1-resentment-answer-3 = Отчасти
earlier1-resentment-answer-4 = В основном да
earlier1-resentment-answer-5 = Полностью

earlier1-honesty = Получалось ли у вас честно говорить { $partner ->
        [she] партнёрше
       *[they] партнёру
    } о том, что вам нужно?
earlier1-honesty-area = Честность
earlier1-honesty-answer-1 = Совсем нет
earlier1-honesty-answer-2 = Немного
earlier1-honesty-answer-3 = Отчасти
earlier1-honesty-answer-4 = В основном да
earlier1-honesty-answer-5 = Полностью

earlier1-safe = Чувствовали ли вы на этой неделе, что в отношениях вы в безопасности и вас уважают?
earlier1-safe-area = Безопасность
earlier1-safe-answer-1 = Совсем нет
earlier1-safe-answer-2 = Немного
earlier1-safe-answer-3 = Отчасти
earlier1-safe-answer-4 = В основном да
earlier1-safe-answer-5 = Полностью
