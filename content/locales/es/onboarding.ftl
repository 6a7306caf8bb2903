# Los primeros pasos, cómo habla el bot con cada persona (idioma, forma de hablar de la
# pareja) y la respuesta amable al texto libre. $partner es cómo habla la persona de su pareja.

## Bienvenida y consentimiento (la bienvenida, en menos de 50 palabras)

welcome-short = ¡Hola! Soy un pequeño coach diario para una relación que dure: un consejo práctico al día y un breve check-in semanal sobre el dar y recibir entre tu pareja y tú. No soy terapia. Para recordar tus ajustes y respuestas necesito guardarlos: en /privacy tienes los detalles.
welcome-agree = Me parece bien
welcome-back = ¡Qué bien verte de nuevo! ¿Qué te gustaría hacer?
onboarding-thanks = Gracias. Son cuatro preguntas rápidas; puedes saltarte cualquiera y cambiarlo todo después en /settings.
onboarding-skip = Saltar
onboarding-zone = <b>1/4 · Tu zona horaria</b>, para que los mensajes lleguen a tu hora. Elígela abajo, escribe tu ciudad (por ejemplo «Madrid» o «Buenos Aires») o comparte tu ubicación (📎 → Ubicación).
onboarding-time = <b>2/4 · Tu consejo diario</b>. ¿A qué hora te gustaría recibir un pequeño consejo cada día (hora de { $zone })? Elige una hora o escríbela, por ejemplo 20:00 o 7:30.
onboarding-no-daily = Sin consejo diario
onboarding-no-daily-set = Por ahora, sin consejo diario. /nudges on lo activa cuando quieras.
onboarding-partner = <b>3/4 · Tu pareja</b>. ¿Cómo prefieres que hable de tu pareja?
onboarding-reminder = <b>4/4 · Check-in semanal</b>. ¿Quieres que te recuerde una vez por semana ({ $day }, { $time }) hacer el check-in de dos minutos?
onboarding-reminder-yes = Sí, recuérdamelo
onboarding-reminder-no = No, gracias
onboarding-reminder-on = Recordatorio semanal activado.
onboarding-reminder-off = Sin recordatorio semanal; /checkin funciona cuando quieras.
onboarding-done = Todo listo. /tip te da una idea ahora mismo, /checkin empieza el check-in y /settings te deja cambiar lo que quieras.

## Texto libre: unas palabras amables, y botones (lo escrito no se lee ni se guarda)

free-text-kind = Gracias por escribir. No puedo leer mensajes y no guardo lo que escribes: funciono con botones y unos pocos comandos (están en /help). Esto es lo que puedo ofrecerte ahora mismo:
go-tip = 💡 Un consejo para hoy
go-checkin = 📝 Check-in semanal
go-safety = 🤝 Apoyo y seguridad

## Idioma

command-language = elegir el idioma en el que te escribo
language-choose = Te escribo en <b>{ $language }</b>. Elige otro idioma:
language-set = Hecho: a partir de ahora te escribo en español.

## La pareja

partner-he = En masculino
partner-she = En femenino
partner-they = Solo «mi pareja»
partner-set = Guardado: hablaré de tu pareja { $partner ->
        [he] en masculino («él»).
        [she] en femenino («ella»).
       *[they] simplemente como «tu pareja».
    }
partner-menu = Cómo hablo de tu pareja: <b>{ $wording }</b>
partner-name-is = Su nombre, que guardo solo para ti: <b>{ $name }</b>
partner-name-add = Añadir o cambiar un nombre
partner-name-forget = Olvidar el nombre
partner-name-ask = Escribe el nombre de tu pareja (o el apodo que uses). Se queda en tus datos, y /export lo muestra.
partner-name-saved = Guardado: { $name }.
settings-partner = Cómo hablo de tu pareja
settings-partner-line = Tu pareja: <b>{ $wording }</b>
settings-language-line = Idioma: <b>{ $language }</b>
settings-language = Idioma

## Los textos de Telegram sobre el bot (su perfil, y el chat antes de /start)

bot-description = Un pequeño coach diario para relaciones que duran: un consejo práctico al día, a tu hora; un breve check-in semanal sobre el dar y recibir, y apoyo cuando lo necesites. Para todo tipo de parejas, en inglés, español y ruso.
bot-short-description = Un consejo práctico al día y un check-in semanal sobre el dar y recibir, para una relación que dure.

## Privacidad

privacy-details =
    <b>Tu privacidad</b>

    <b>Qué guardo y por qué</b>
    • tu id de usuario y tu id de chat de Telegram, para responderte y enviarte el consejo diario;
    • tu idioma, tu zona horaria, la hora del consejo diario y el recordatorio semanal, para escribirte en tu idioma y a tu hora;
    • cómo quieres que hable de tu pareja, y su nombre si me lo diste;
    • qué consejos viste y cuándo, para que nunca te llegue el mismo dos veces seguidas;
    • cuándo salió cada consejo diario o recordatorio (se guarda 35 días), para que nadie reciba dos el mismo día;
    • tus respuestas del check-in (un número por respuesta) y sus puntuaciones, para mostrarte tu tendencia;
    • cuándo aceptaste todo esto (el botón «Me parece bien»). Antes de eso, no se guarda nada.
    • si haces el check-in junto con tu pareja (/partner): la vinculación (el nombre de cada parte tal como lo da su app, desde cuándo existe y si cada parte muestra sus respuestas) y las semanas compartidas (cómo se comparan las dos miradas en cada área, nunca las respuestas). De una invitación solo se guarda una huella de su código, durante 24 horas.

    <b>Lo que ve tu pareja</b>: tu nombre y las semanas compartidas; tus respuestas, solo si ambas partes lo eligen; nunca nada sobre la pregunta de seguridad. Al desvincular los check-ins se borran las semanas compartidas; a tu pareja solo se le dice que se desvincularon, también si usas /delete.

    <b>Lo que nunca guardo</b>: los mensajes que escribes (salvo una ciudad, una hora o un nombre cuando te los pido), tu ubicación (una ubicación compartida se convierte en el nombre de una zona horaria y se descarta), tu propio nombre ni tu número de teléfono.

    <b>Por cuánto tiempo</b>: hasta que lo borres. No comparto nada con nadie, y los registros no contienen mensajes.

    /export te envía en un archivo todo lo que guardo sobre ti.
    /delete lo borra todo, al instante y para siempre.
    /stop pone fin a todos mis mensajes.
