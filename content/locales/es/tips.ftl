# Las estrategias y sus consejos. $partner es cómo habla la persona de su pareja: he, she
# o they (por defecto: "tu pareja"). El texto de cada mensaje va en una sola línea, porque un
# salto de línea se vería en el chat; las variantes de un selector van en líneas propias
# (Fluent lo exige), lo que no añade ningún salto de línea al texto.

## mystery

strategy-mystery-title = Guarda un poco de misterio
strategy-mystery-why = Estar cerca no significa contarlo todo minuto a minuto. Cuando una parte de tu mundo interior sigue siendo tuya, queda espacio para la curiosidad, para las conversaciones de verdad y para el placer de volver a conocerse. Nunca se trata de secretos ni de juegos, solo de conservar un espacio propio.
tip-mystery-1 = Cuando tu pareja te pregunte qué tal tu día, comparte el momento que más se te quedó grabado en lugar de contarlo todo de principio a fin. Deja espacio para las preguntas y muestra la misma curiosidad por su día.
tip-mystery-2 = Guárdate durante unos días una pequeña idea, un plan o una ilusión, solo por el gusto de disfrutarla. No es un secreto ni afecta a nadie: simplemente, por ahora es tuya.
tip-mystery-3 = Fíjate hoy en las ganas de mandar un mensaje rápido por cada pequeña cosa. Deja que uno o dos momentos se queden sin contar y disfrútalos a solas.
tip-mystery-4 = Prepara una pequeña sorpresa cariñosa para esta semana: una nota donde tu pareja la vaya a encontrar, una canción que creas que le gustará o algo de comer que le encante. Que sea algo ligero, sin esperar nada a cambio.
tip-mystery-5 = Dedica hoy diez minutos a algo que solo existe en tu cabeza: una página de diario, un boceto, unas páginas de un libro. No hace falta contárselo a nadie.
tip-mystery-6 = Prueba hoy algo nuevo, por pequeño que sea: otro camino a casa, una receta nueva, un disco que aún no conoces. Sácalo después solo si surge en la conversación.
tip-mystery-7 = Hazle a tu pareja una pregunta que nunca le hayas hecho, por ejemplo qué soñaba con hacer { $partner ->
        [he] de niño
        [she] de niña
       *[they] en su infancia
    }, y respóndela tú también. Conocerse de verdad es algo que nunca termina.

## appreciation

strategy-appreciation-title = { $partner ->
        [he] Haz que él se sienta necesario y valorado
        [she] Haz que ella se sienta necesaria y valorada
       *[they] Haz que tu pareja se sienta necesaria y valorada
    }
strategy-appreciation-why = Todo el mundo quiere saber que lo que aporta a la relación cuenta. Pedirse ayuda de verdad, y decir en concreto qué notaste y qué valoraste, crea la sensación de formar un equipo. Funciona mejor en los dos sentidos, y nunca necesita halagos ni fingir que necesitas una ayuda que no necesitas.
tip-appreciation-1 = Piensa en algo con lo que de verdad te vendría bien una mano esta semana y pídeselo a tu pareja sin rodeos. Elige algo real: pedir con sinceridad es lo que hace que ayudar resulte agradable.
tip-appreciation-2 = Cuéntale a tu pareja algo concreto que hizo hace poco y que te hizo la semana más fácil. Nombrar el momento, como «gracias por escucharme el martes por la noche, me ayudó mucho», significa más que un halago general.
tip-appreciation-3 = La próxima vez que tu pareja te ofrezca ayuda, prueba con un simple «gracias» en lugar de «ya lo hago yo». Dejar que alguien comparta la carga también es formar equipo.
tip-appreciation-4 = Pídele a tu pareja su opinión sobre algo en lo que su experiencia o su criterio te ayuden de verdad, y toma en serio la respuesta. A cualquiera le sienta bien que confíen en lo que sabe.
tip-appreciation-5 = Fíjate hoy en si le das las gracias a tu pareja solo por los resultados o también por el esfuerzo. Elige un esfuerzo, aunque no esté terminado, y dile que lo viste.
tip-appreciation-6 = Pregúntale hoy a tu pareja: «¿Hay algo en lo que pueda ayudarte esta semana?». Ofrecer ayuda, y no solo pedirla, hace que la ayuda vaya en los dos sentidos.
tip-appreciation-7 = Escribe tres cosas que tu pareja aporta a tu vida y que valoras. Elige una y cuéntasela esta noche, con tus propias palabras.

## own-life

strategy-own-life-title = Cuida tu propia vida
strategy-own-life-why = Una relación es una parte importante de una vida plena, pero no lo es todo. Tus amistades, tus aficiones y tu tiempo a solas te dan estabilidad, y te aportan cosas nuevas que llevar a casa y compartir. Y lo mismo vale para tu pareja.
tip-own-life-1 = Escríbele a alguien de tus amistades con quien hace tiempo que no hablas y propón un día concreto para ponerse al día.
tip-own-life-2 = Dedica hoy quince minutos a una afición o un interés que sea solo tuyo, ya sea dibujar, correr, la música o cualquier otra cosa.
tip-own-life-3 = Mira tu semana y reserva una tarde o una noche para ti o para tus amistades. Trátala como cualquier otra cita que no cancelarías.
tip-own-life-5 = Anota algo que te encantaba hacer antes de esta relación, o algo que siempre quisiste probar. Elige un primer paso pequeño y ponlo en tu agenda.
tip-own-life-6 = Sal a dar un paseo corto a solas, con el teléfono en silencio, y fíjate adónde van tus pensamientos cuando no están esperando un mensaje.
tip-own-life-8 = Piensa en algo que se te da bien o que te despierta curiosidad, y dedícale un rato esta semana: una clase, una visita a la biblioteca, una hora de práctica. Es tuyo, y cuenta.
tip-own-life-9 = Planea para esta semana algo que te haga ilusión y que sea solo para ti, por pequeño que sea: una película, nadar un rato, un café en un sitio que te guste.

## letting-go

strategy-letting-go-title = Suelta el enfado y el rencor
strategy-letting-go-why = El enfado es una señal normal de que algo te importa, pero si lo guardas, poco a poco se endurece hasta volverse rencor. Calmarte antes de hablar, y elegir qué vale la pena plantear y qué puedes dejar a un lado, permite que ambas partes hablen con cariño. Soltar nunca significa callar ante algo que sigue doliendo.
tip-letting-go-1 = Si hoy te molesta algo que tu pareja dijo o hizo, date tiempo antes de responder. Tómate veinte minutos, un paseo o unas cuantas respiraciones lentas, y después decide qué quieres decir de verdad.
tip-letting-go-2 = Escribe una vieja queja a la que sigues dando vueltas. Pregúntate con sinceridad: ¿esto necesita una conversación, o puedo ya dejarlo a un lado?
tip-letting-go-3 = Después de un momento tenso hoy, fíjate en qué hay debajo de la irritación: ¿dolor, preocupación, cansancio? Ponerle nombre primero para ti hace más fácil hablar con calma cuando llegue el momento.
tip-letting-go-4 = Cuando saques un tema que te dolió, empieza por cómo te sentiste y no por lo que { $partner ->
        [he] él hizo mal
        [she] ella hizo mal
       *[they] tu pareja hizo mal
    }. Por ejemplo: «Me dolió quedarme fuera cuando cambiaron los planes sin contar conmigo».
tip-letting-go-5 = Piensa en una cosa pequeña que te molestó esta semana y decide conscientemente soltarla. Fíjate en cómo se siente tu cuerpo cuando lo hayas hecho.
tip-letting-go-6 = Si una conversación se está calentando, propón una pausa: «¿Lo retomamos en una hora? Quiero decirlo bien». Después retómala como prometiste, y dale a tu pareja la misma pausa si te la pide.
tip-letting-go-7 = Antes de dormir, nombra algo de hoy que decides soltar. Puede ser tan pequeño como un tono brusco o una respuesta que tardó en llegar.

## genuine

strategy-genuine-title = Di con sinceridad lo que necesitas
strategy-genuine-why = Nadie puede atender una necesidad de la que nunca ha oído hablar. Decir con claridad lo que te importa, con expectativas que encajen con la vida real, permite que tu pareja te conozca de verdad y le da una oportunidad justa de responder. Preguntarle por sus necesidades a cambio mantiene la conversación entre iguales.
tip-genuine-1 = Completa esta frase en privado: «Lo que de verdad me gustaría tener más ahora mismo es...». Que la respuesta sea sencilla y concreta.
tip-genuine-2 = Elige una pequeña necesidad y dila hoy en voz alta, en una frase clara, como «Me encantaría que pasáramos una hora el domingo sin pantallas».
tip-genuine-3 = Fíjate hoy en algún momento en que dijiste «está bien» y no lo estaba. No hace falta arreglarlo ahora; solo date cuenta de lo que sentías de verdad.
tip-genuine-4 = Revisa una expectativa que tienes sobre tu pareja. ¿Alguna vez la has dicho en voz alta, o esperas que la adivine? ¿Es realista para una semana normal y con mucho que hacer?
tip-genuine-5 = Comparte hoy una opinión sincera que normalmente te guardarías para evitar roces, sobre una película, un plan o una decisión. Dila con amabilidad y mantén la curiosidad por lo que piensa tu pareja.
tip-genuine-6 = Pregúntale a tu pareja de qué le gustaría tener más este mes, y escucha sin defenderte ni dar explicaciones. La sinceridad sobre las necesidades funciona en los dos sentidos.
tip-genuine-7 = Piensa en algo que haces sobre todo para agradar a otra persona. Prueba hoy, aunque sea un momento, a hacerlo a tu manera, y mira qué pasa.

## boundaries

strategy-boundaries-title = Pon límites claros y amables
strategy-boundaries-why = Un límite no es tanto un muro como una señal: muestra hacia dónde van tu tiempo y tu energía, para que ambas partes sepan a qué atenerse. Decir que no cuando lo necesitas, y respetar los límites de tu pareja con la misma naturalidad, es una forma de respeto mutuo.
tip-boundaries-1 = Cuéntale a tu pareja qué te ocupa esta semana, como entregas, planes familiares o el tiempo que necesitas para ti, y pregúntale también por su semana. Saberlo pronto evita malentendidos después.
tip-boundaries-2 = Practica hoy un «no» amable y claro. Puede ser algo pequeño: «Esta noche no puedo, pero el jueves sí». No hace falta una larga disculpa.
tip-boundaries-3 = Fíjate en algún momento en que dijiste que sí cuando querías decir que no. ¿Cómo habría sonado una respuesta amable y sincera?
tip-boundaries-4 = Escribe un límite que te importe, como descansar después del trabajo o cómo te gustaría que se manejaran los desacuerdos. Piensa en compartirlo con tu pareja esta semana y en preguntarle por los suyos.
tip-boundaries-5 = Pregúntale a tu pareja si ahora mismo necesita más espacio o más tiempo para algo, y respeta la respuesta sin tomártelo como algo personal.
tip-boundaries-6 = Reserva hoy un bloque de tiempo para algo que te importa, y haz saber a quienes te rodean que en ese rato no estás disponible.
tip-boundaries-7 = Si un límite encuentra resistencia, vuelve a expresarlo una vez con calma, sin justificarte de más. Después, fíjate en cómo te sientes.
tip-own-life-4 = Fíjate en si sueles dejar de lado tus propios planes en cuanto tu pareja tiene tiempo libre. Si es así, mantén el próximo plan que hagas con otra persona.

## presence

strategy-presence-title = Equilibra presencia y distancia
strategy-presence-why = Estar plenamente presente en el tiempo compartido, y en paz en el tiempo por separado, mantiene viva una relación. El tiempo por separado no es frialdad: da a ambas partes algo que echar de menos y algo nuevo que traer de vuelta.
tip-presence-1 = En la próxima comida o conversación con tu pareja, deja el teléfono en otra habitación y presta toda tu atención durante al menos quince minutos.
tip-presence-2 = Cuando tu pareja te cuente su día, hazle una pregunta de seguimiento que demuestre que de verdad prestabas atención.
tip-presence-3 = Fíjate en si te inquietas cuando pasas tiempo sin tu pareja. Si es así, llena una hora con algo que te absorba en lugar de mirar el teléfono.
tip-presence-4 = Planea para esta semana una actividad breve en pareja que a ambas partes les guste, como un paseo, cocinar o un juego, y mantenla libre de tareas y pantallas.
tip-presence-5 = Si últimamente casi todas tus noches son en pareja, propón una noche por separado esta semana para ver a tus amistades o dedicarla a tus aficiones, y fíjate en cómo se siente el reencuentro después.
tip-presence-6 = La próxima vez que pases un día sin tu pareja, mándale un mensaje sencillo y cariñoso en lugar de contarle cada novedad.
tip-presence-7 = Cuando te reencuentres con tu pareja después de un tiempo sin verse, tómate un minuto para un saludo de verdad antes de pasar a los planes y los recados.
tip-own-life-7 = Anima también a tu pareja a reservar tiempo esta semana para sus propias amistades o aficiones, y hazlo de corazón. Dos vidas plenas hacen más rica la vida en común.

## reciprocity

strategy-reciprocity-title = Fíjate en el dar y recibir
strategy-reciprocity-why = Una buena relación necesita el esfuerzo de las dos personas, aunque nunca esté exactamente igualado. Fijarte en el equilibrio y pedir lo que necesitas son actos de respeto hacia ti. Si, semana tras semana, sigues dando mucho más de lo que recibes, vale la pena detenerte a pensar qué quieres de la relación.
tip-reciprocity-1 = Repasa esta semana: ¿quién empezó las conversaciones, hizo los planes y tuvo los pequeños detalles? Solo obsérvalo, sin llevar la cuenta.
tip-reciprocity-2 = Escribe dos cosas que diste esta semana y dos que recibiste. Mira la lista con curiosidad, sin juzgar.
tip-reciprocity-3 = Si hay un área que sientes desigual, como organizar planes en pareja o las tareas de casa, pídele a tu pareja un cambio concreto, por ejemplo: «¿Podrías organizar tú nuestra próxima salida?». Luego pregúntale qué le gustaría que hicieras tú a cambio.
tip-reciprocity-4 = Fíjate en algo que tu pareja hace por ti y que quizá das por sentado, y dale hoy las gracias por ello.
tip-reciprocity-5 = Pregúntate: cuando doy, ¿lo hago con libertad o esperando algo a cambio? Las dos cosas son humanas; simplemente ayuda saber cuál es.
tip-reciprocity-6 = Si desde hace un tiempo sientes que el esfuerzo es de un solo lado, tómate diez minutos para escribir cómo te hace sentir y qué te gustaría que cambiara.
tip-reciprocity-7 = Habla con alguien de confianza sobre lo equilibrada que sientes tu relación. Una mirada de fuera puede ayudarte a ver las cosas con más claridad.

## care

strategy-care-title = Cuídate
strategy-care-why = Cuando las cosas pesan, cuidarte es lo primero. El descanso, los pequeños consuelos y las personas que están de tu lado hacen más fácil pensar con claridad y decidir, a tu ritmo, qué quieres a partir de ahora.
tip-care-1 = Piensa en alguien de confianza, una amistad, un familiar o alguien del trabajo, y escríbele hoy, aunque sea un breve «¿podemos hablar esta semana?». No tienes que explicarlo todo de golpe.
tip-care-2 = Descansar también es hacer algo. Si puedes, regálate hoy veinte minutos tranquilos sin nada que lograr, o acuéstate temprano una noche esta semana.
tip-care-3 = Si te ayuda, anota lo que observas: qué pasó, cuándo y cómo te sentiste. Guárdalo en un lugar que solo tú puedas abrir, o con alguien de confianza.
tip-care-4 = Un servicio de orientación o una línea de ayuda confidencial pueden ayudarte a poner en orden lo que sientes, cuando te sientas con fuerzas y a tu ritmo. /safety reúne algunos a los que puedes acudir.
tip-care-5 = Haz hoy una pequeña cosa solo para ti: una canción que te encante, una bebida caliente en un sitio tranquilo, unas páginas de un libro. No necesita ningún motivo.
tip-care-6 = Escucha un momento a tu cuerpo. ¿Tienes sed, hambre, cansancio, tensión? Atiende una de esas necesidades antes que nada.
tip-care-7 = Guarda en un lugar fácil de encontrar los números de algunas personas a las que podrías llamar en cualquier momento, y piensa adónde podrías ir si algún día necesitaras un poco de espacio.
tip-care-8 = Háblate hoy como le hablarías a una buena amistad en tu lugar. Lo que sientes tiene sentido, y mereces amabilidad, también la tuya.
