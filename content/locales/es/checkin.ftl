# El check-in semanal: preguntas, sus áreas y respuestas; después, los textos de formatos
# anteriores. Las respuestas son etiquetas de botón (40 caracteres como mucho), cada mensaje
# en una línea. Las preguntas de balance van de 1 "yo di mucho más" a 3 "más o menos igual"
# y 5 "mi pareja dio mucho más"; las de bienestar, de peor (1) a mejor (5). La pregunta de
# iniciativa del formato anterior iba al revés (1: mi pareja), tal como se guardaron sus
# respuestas.

checkin-intro = Diez preguntas rápidas sobre tu semana en pareja. No hay respuestas correctas ni incorrectas: solo un momento para fijarte en el dar y recibir entre tu pareja y tú.

## initiative

question-initiative = Esta semana, ¿quién tomó más a menudo la iniciativa de escribir y proponer planes?
question-initiative-area = Planes e iniciativa
question-initiative-answer-1 = Yo, con diferencia
question-initiative-answer-2 = Yo, un poco más
question-initiative-answer-3 = Más o menos igual
question-initiative-answer-4 = Mi pareja, un poco más
question-initiative-answer-5 = Mi pareja, con diferencia

## effort

question-effort = ¿Quién puso más en lo cotidiano, como las tareas de casa, los recados y esas pequeñas cosas que hacen que el día a día funcione?
question-effort-area = Esfuerzo cotidiano
question-effort-answer-1 = Yo, con diferencia
question-effort-answer-2 = Yo, un poco más
question-effort-answer-3 = Más o menos igual
question-effort-answer-4 = Mi pareja, un poco más
question-effort-answer-5 = Mi pareja, con diferencia

## support

question-support = Cuando hizo falta escuchar o dar apoyo, ¿quién estuvo más presente?
question-support-area = Escucha y apoyo
question-support-answer-1 = Yo, con diferencia
question-support-answer-2 = Yo, un poco más
question-support-answer-3 = Más o menos igual
question-support-answer-4 = Mi pareja, un poco más
question-support-answer-5 = Mi pareja, con diferencia
question-support-not-applicable = Esta semana no hizo falta apoyo

## appreciation

question-appreciation = ¿Quién mostró más reconocimiento, con un «gracias», una palabra amable o fijándose en lo que hacía la otra persona?
question-appreciation-area = Reconocimiento
question-appreciation-answer-1 = Yo, con diferencia
question-appreciation-answer-2 = Yo, un poco más
question-appreciation-answer-3 = Más o menos igual
question-appreciation-answer-4 = Mi pareja, un poco más
question-appreciation-answer-5 = Mi pareja, con diferencia

## overall

question-overall = En conjunto, entre lo que cada parte aportó y recibió esta semana, ¿cómo lo viviste?
question-overall-area = Equilibrio general
question-overall-answer-1 = Yo aporté mucho más
question-overall-answer-2 = Yo aporté un poco más
question-overall-answer-3 = Más o menos igual
question-overall-answer-4 = Mi pareja aportó un poco más
question-overall-answer-5 = Mi pareja aportó mucho más

## understood

question-understood = Cuando compartiste algo importante para ti, ¿sentiste comprensión y cariño?
question-understood-area = Comprensión
question-understood-answer-1 = Para nada
question-understood-answer-2 = Un poco
question-understood-answer-3 = En parte
question-understood-answer-4 = Bastante
question-understood-answer-5 = Por completo
question-understood-not-applicable = No compartí nada así

## own_time

question-own-time = ¿Tuviste tiempo para tus amistades, tus intereses y tu descanso?
question-own-time-area = Tu propia vida
question-own-time-answer-1 = Nada de tiempo
question-own-time-answer-2 = Un poco
question-own-time-answer-3 = Algo
question-own-time-answer-4 = Bastante
question-own-time-answer-5 = Mucho

## honesty

question-honesty = ¿Pudiste decir con sinceridad lo que necesitas, sin guardarte nada?
question-honesty-area = Sinceridad sobre tus necesidades
question-honesty-answer-1 = Para nada
question-honesty-answer-2 = Un poco
question-honesty-answer-3 = En parte
question-honesty-answer-4 = Bastante
question-honesty-answer-5 = Por completo

## letting_go

question-letting-go = ¿Pudiste soltar la irritación en lugar de arrastrarla al día siguiente?
question-letting-go-area = Soltar tensiones
question-letting-go-answer-1 = Para nada
question-letting-go-answer-2 = Un poco
question-letting-go-answer-3 = En parte
question-letting-go-answer-4 = Bastante
question-letting-go-answer-5 = Por completo
question-letting-go-not-applicable = No hubo nada que soltar

## safe

question-safe = Esta semana, ¿sentiste que con tu pareja estabas a salvo y que te trataba con respeto?
question-safe-area = Seguridad y respeto
question-safe-answer-1 = Para nada
question-safe-answer-2 = Un poco
question-safe-answer-3 = En parte
question-safe-answer-4 = Bastante
question-safe-answer-5 = Por completo

## preguntas anteriores, formato 1

earlier1-initiative = Esta semana, ¿quién tomó más a menudo la iniciativa de escribir y hacer planes?
earlier1-initiative-area = Iniciativa
earlier1-initiative-answer-1 = Casi siempre mi pareja
earlier1-initiative-answer-2 = Sobre todo mi pareja
earlier1-initiative-answer-3 = Más o menos igual
earlier1-initiative-answer-4 = Sobre todo yo
earlier1-initiative-answer-5 = Casi siempre yo

earlier1-appreciated = ¿Sentiste que valoraban lo que diste esta semana?
earlier1-appreciated-area = Valoración
earlier1-appreciated-answer-1 = Para nada
earlier1-appreciated-answer-2 = Un poco
earlier1-appreciated-answer-3 = En parte
earlier1-appreciated-answer-4 = Bastante
earlier1-appreciated-answer-5 = Por completo

earlier1-support = Cuando necesitaste apoyo esta semana, ¿tu pareja estuvo ahí?
earlier1-support-area = Apoyo
earlier1-support-answer-1 = Nunca
earlier1-support-answer-2 = Pocas veces
earlier1-support-answer-3 = A veces
earlier1-support-answer-4 = Casi siempre
earlier1-support-answer-5 = Siempre

earlier1-own-time = ¿Tuviste tiempo esta semana para tus amistades y tus pasiones?
earlier1-own-time-area = Tiempo propio
earlier1-own-time-answer-1 = Nada de tiempo
earlier1-own-time-answer-2 = Un poco
earlier1-own-time-answer-3 = Algo
earlier1-own-time-answer-4 = Bastante
earlier1-own-time-answer-5 = Mucho

earlier1-boundaries = ¿Tu pareja respetó tus límites esta semana?
earlier1-boundaries-area = Límites
earlier1-boundaries-answer-1 = Para nada
earlier1-boundaries-answer-2 = Un poco
earlier1-boundaries-answer-3 = En parte
earlier1-boundaries-answer-4 = Bastante
earlier1-boundaries-answer-5 = Por completo

earlier1-resentment = ¿Pudiste soltar el resentimiento esta semana, en lugar de guardarlo?
earlier1-resentment-area = Soltar tensiones
earlier1-resentment-answer-1 = Para nada
earlier1-resentment-answer-2 = Un poco
earlier1-resentment-answer-3 = En parte
earlier1-resentment-answer-4 = Bastante
earlier1-resentment-answer-5 = Por completo

earlier1-honesty = ¿Pudiste decirle a tu pareja con sinceridad lo que necesitas?
earlier1-honesty-area = Sinceridad
earlier1-honesty-answer-1 = Para nada
earlier1-honesty-answer-2 = Un poco
earlier1-honesty-answer-3 = En parte
earlier1-honesty-answer-4 = Bastante
earlier1-honesty-answer-5 = Por completo

earlier1-safe = Esta semana, ¿sentiste seguridad y respeto en tu relación?
earlier1-safe-area = Seguridad
earlier1-safe-answer-1 = Para nada
earlier1-safe-answer-2 = Un poco
earlier1-safe-answer-3 = En parte
earlier1-safe-answer-4 = Bastante
earlier1-safe-answer-5 = Por completo
