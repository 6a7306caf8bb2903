# Todos los textos que muestra el bot, en español. Marcado: <b>negrita</b>, <i>cursiva</i>,
# <code>código</code>; una línea en blanco empieza un párrafo nuevo. { $name } coloca un valor.
# $partner (he, she o they) dice cómo habla el bot de la pareja; "they" es "tu pareja".

## En todas partes

button-expired = Este botón ya no funciona. Envía /help para ver lo que puedo hacer.
button-older = Ese botón es de un mensaje anterior: no ha cambiado nada. Esto es lo que tienes configurado ahora.
button-private-only = Esto funciona en nuestro chat privado
apology = Perdona, algo falló por mi parte. Vuelve a intentarlo en un momento.
still-working = Perdona, voy lento ahora mismo. Sigo con lo que me enviaste, así que no hace falta repetirlo. Si en un minuto no ha cambiado nada, vuelve a intentarlo.
slow-down = Vas un poco rápido para mí. Dame un minuto y vuelve a intentarlo.
private-only = Mejor usa /{ $command } en un chat privado: así tus respuestas y tus ajustes quedan entre tú y yo.
private-only-button = Seguir en privado
unknown-command = No conozco /{ $name }. Envía /help para ver lo que puedo hacer.
back = « Atrás
settings-back = « Ajustes
saved = Guardado

## /start y /help

help-title = <b>Lo que puedo hacer</b>
help-line = /{ $command } — { $description }
help-buttons = Los botones bajo mis mensajes también funcionan.

command-start = bienvenida y configuración de tu consejo diario
command-tip = un consejo para hoy (/tip boundaries: un consejo sobre un tema)
command-nudges = consejo diario: /nudges on, off o HH:MM
command-timezone = elige tu zona horaria, p. ej. /timezone Europe/Madrid
command-checkin = un check-in breve sobre el dar y recibir
command-history = tus últimos check-ins
command-trend = un gráfico de tus check-ins
command-settings = ver y cambiar tus ajustes
command-stop = dejar de recibir mensajes míos
command-safety = dónde encontrar apoyo, en cualquier momento
command-privacy = qué guardo sobre ti y por qué
command-export = una copia de todos tus datos
command-delete = borrar todos tus datos
command-help = esta lista
command-stats = cifras para operadores

## Consejos

tip-heading-today = El consejo de hoy
tip-heading-checkin = Un consejo sobre «{ $area }»
tip-title = <b>{ $heading }: { $emoji } { $title }</b>
tip-why = <i>Por qué: { $why }</i>
tip-another = Otro consejo
tip-choose-topic = Elegir un tema
tip-pick-topic = Elige un tema:
tip-topic-line = { $number }. { $emoji } { $title } (/tip { $id })
tip-unknown-topic = No conozco el tema «{ $topic }». Elige uno de estos:
tip-keeping-to-care-group = <i>Por ahora me centro en consejos para cuidarte y cuidar tu propia vida.</i>
tip-keeping-to-care = <i>Desde tu último check-in me centro en consejos para cuidarte y cuidar tu propia vida, hasta que un check-in posterior diga otra cosa.</i>

## El consejo diario

nudge-heading = Tu consejo diario
nudge-heading-again = Tu consejo, una hora más tarde, como pediste
nudge-later = Más tarde (en 1 hora)
nudge-stop = Desactivar los consejos diarios
nudge-pause = Pausar los consejos diarios
nudge-pause-offer = <i>Si ahora mismo no te viene bien un mensaje mío cada día, puedes pausarlo. Nada más cambia, y /nudges on lo reactiva cuando quieras.</i>
nudge-paused = Consejos diarios en pausa. /nudges on los reactiva.
nudge-stopped = Consejos diarios desactivados. /nudges on los reactiva.
nudge-already-later = Ya está programado para más tarde.
nudge-again-at = Te lo vuelvo a enviar a las { $time }.

## Ajustes

daily-tip-off = Consejo diario: <b>desactivado</b>
daily-tip-on =
    Consejo diario: <b>activado</b> a las <b>{ $time }</b>
    El próximo: { $next }
settings-headline = ✅ { $headline }
settings-title = <b>Tus ajustes</b>
settings-zone = Zona horaria: <b>{ $zone }</b> (hora actual allí: { $now })
settings-turn-off = Desactivar el consejo diario
settings-turn-on = Activar el consejo diario
settings-change-time = Cambiar la hora
settings-change-zone = Cambiar la zona horaria
settings-reminder = Recordatorio del check-in
zone-picker = Tu zona horaria es <b>{ $zone }</b>.
welcome-later = Sin problema. Cuando quieras: /tip para una idea, o /nudges on para recibir una cada día.
tip-on-notice = Consejo diario activado
tip-off = Consejo diario desactivado.
tip-off-notice = Consejo diario desactivado
tip-off-command = Consejo diario desactivado. Envía /nudges on para reactivarlo.
zone-location-unknown = No logro saber la zona horaria a partir de esa ubicación.
stopped = Hecho: no volveré a escribirte a menos que tú me escribas. /start para volver.

## El recordatorio semanal

reminder-off = Recordatorio semanal del check-in: <b>desactivado</b>
reminder-on = Recordatorio semanal del check-in: <b>{ $day } a las { $time }</b>
reminder-zone = <i>Las horas son de { $zone }.</i>
reminder-turn-off = Desactivar el recordatorio
reminder-turn-on = Activar el recordatorio
reminder-saved = Guardado.
reminder-message =
    <b>Es hora de tu check-in semanal</b>

    Diez preguntas rápidas sobre el dar y recibir de tu semana, que respondes con botones.
reminder-start = Empezar el check-in

## El check-in

checkin-closed = Este check-in ya está cerrado. Envía /checkin para empezar uno nuevo.
checkin-moved-on = Esa pregunta ya quedó atrás.
checkin-title = <b>Check-in · { $number }/{ $total }</b>
checkin-title-correcting = <b>Cambiando tus respuestas · { $number }/{ $total }</b>
checkin-progress = <i>{ $answered ->
        [one] { $answered } respondida
        [many] { $answered } respondidas
       *[other] { $answered } respondidas
    } · { $skipped ->
        [one] { $skipped } saltada
        [many] { $skipped } saltadas
       *[other] { $skipped } saltadas
    }</i>
checkin-keep = Mantener
checkin-skip = Saltar
checkin-cancel = Cancelar
checkin-continue = Continuar
checkin-start-new = Empezar uno nuevo
checkin-in-progress = Tienes un check-in a medias (pregunta { $number } de { $total }). ¿Sigues donde lo dejaste o empiezas de nuevo?
checkin-correcting-open = Estabas cambiando las respuestas de tu check-in de { $day }. ¿Sigues, o empiezas un check-in nuevo?
checkin-an-earlier-day = otro día
checkin-notice-saved = Guardado
checkin-notice-kept = Respuesta mantenida
checkin-notice-skipped = Pregunta saltada
checkin-notice-cancelled = Cancelado
checkin-notice-unchanged = Sin cambios
checkin-notice-done = Check-in guardado
checkin-notice-nothing = No se registró nada
checkin-cancelled = Check-in cancelado; no se guardó ninguna de sus respuestas. /checkin para empezar de nuevo.
checkin-correction-cancelled = No se hizo ningún cambio: tu check-in de { $day } se queda como estaba. /history lo muestra.
checkin-all-skipped = Saltaste todas las preguntas, así que no se registró nada. /checkin para empezar de nuevo.
checkin-correction-empty = No se cambió nada: se mantienen tus respuestas anteriores.
checkin-only-latest = Solo se puede cambiar tu check-in más reciente.
checkin-earlier-format = Ese check-in usaba preguntas de una versión anterior; /checkin empieza uno nuevo.
summary-title = <b>Check-in guardado. Gracias por dedicarle este rato.</b>
summary-no-balance = Dar y recibir: no hay respuestas sobre quién dio qué, así que esta vez no hay balance.
summary-balance = Dar y recibir: <b>{ $balance }</b>, { $band ->
    [gave_far_more] diste mucho más de lo que recibiste
    [gave_more] diste más de lo que recibiste
    [received_more] tu pareja dio más que tú
    [received_far_more] tu pareja dio mucho más que tú
   *[even] bastante equilibrado
}
summary-scale = <i>-100 diste mucho más · 0 bastante equilibrado · +100 tu pareja dio mucho más</i>
summary-recent = Check-ins recientes: { $balances }
summary-going-well = Va bien: { $area } ({ $score }/100)
summary-needs-care = Necesita atención: { $area } ({ $score }/100)
summary-areas-scale = <i>Áreas de 0 a 100: cuanto más alto, más sano; un área de dar y recibir llega a 100 cuando está equilibrada.</i>
summary-counts = { $answered ->
        [one] { $answered } respondida
        [many] { $answered } respondidas
       *[other] { $answered } respondidas
    } · { $skipped ->
        [one] { $skipped } saltada
        [many] { $skipped } saltadas
       *[other] { $skipped } saltadas
    }
summary-change = Cambiar mis respuestas
summary-reminder-on = Recordatorio semanal: activado
summary-reminder-offer = Recuérdamelo cada semana
history-empty = Todavía no hay check-ins. /checkin lleva unos dos minutos.
history-title = <b>Tus últimos check-ins</b>
history-scale = <i>dar y recibir: -100 diste mucho más · 0 equilibrado</i>
history-line = { $day }: dar y recibir { $balance }
history-no-balance = sin balance
history-needs-care = , necesita atención: { $area }
history-earlier = { " " }<i>(preguntas anteriores)</i>
history-trend = /trend los muestra en un gráfico.
trend-needs-two = Para ver una tendencia hacen falta al menos dos check-ins con balance, y tienes { $count }. /checkin añade uno.
trend-caption = Tu equilibrio entre dar y recibir a lo largo de { $count ->
        [one] { $count } check-in
        [many] { $count } check-ins
       *[other] { $count } check-ins
    }, y tus áreas más recientes.
chart-title = Dar y recibir a lo largo del tiempo
chart-axis = ← yo di más · mi pareja dio más →
chart-even = equilibrado
chart-areas = Último check-in, por área (0-100, cuanto más alto, más sano)

## Seguridad

safety-in-group = Eso es para un chat privado conmigo.
safety-in-group-send = { safety-in-group } Envíame /safety allí.
safety-in-group-tap = { safety-in-group } Toca abajo o envíame /safety allí.
safety-open-private = Abrir un chat privado
safety-service = • <b>{ $name }</b>
safety-service-where = { $line } ({ $where })
safety-service-phone = { $line }: { $phone }
safety-service-note = { $line } · { $note }
safety-intro = Mereces sentirte a salvo y que te traten con respeto. Si algo en tu relación te da miedo o te hace daño, no es culpa tuya, y no tienes por qué afrontarlo en soledad. Aquí puedes pedir ayuda:
safety-emergency = <b>Si estás en peligro ahora mismo, llama al número de emergencias de tu zona.</b>
safety-emergency-country = <b>Si estás en peligro ahora mismo, llama al número de emergencias de tu zona ({ $country }: { $number }).</b>
safety-discreet = <i>Para mantenerlo en privado: quien pueda abrir tu teléfono puede leer este chat. Para quitarlo, mantenlo presionado en tu lista de chats (en iPhone, desliza hacia la izquierda; en la versión de escritorio, clic derecho) y elige Eliminar. /delete también borra todo lo que guardo sobre ti.</i>
safety-counselling = Encontrar a alguien con quien hablarlo

## Privacidad

export-about = Todo lo que el bot de coaching guarda sobre ti. /delete lo borra.
export-sent = Aquí tienes todo lo que guardo sobre ti.
delete-confirm = Esto borra todo lo que guardo sobre ti: ajustes, consejos vistos, check-ins y respuestas. No se puede deshacer. ¿Lo borro todo?
delete-yes = Sí, borrarlo todo
delete-no = No, conservarlo
delete-done = Hecho: ya no queda nada de lo que guardaba sobre ti. /start para empezar de cero.
delete-notice = Borrado
delete-kept-notice = Conservado
delete-kept = No se borró nada.

## Operadores

stats-title = <b>Estadísticas</b>
stats-line = { $label }: { $value }
stats-users = Usuarios
stats-opted_in = Consejo diario activado
stats-weekly_reminders = Recordatorio semanal activado
stats-nudges_sent_today = Consejos diarios enviados hoy (UTC)
stats-nudges_failed_today = Consejos diarios fallidos hoy (UTC)
stats-nudges_waiting = Consejos diarios pendientes o en curso
stats-checkins_this_week = Check-ins en los últimos 7 días
stats-blocked_users = Usuarios que bloquearon el bot

## El chat en la terminal

console-hello = El bot de coaching, en tu terminal. Escribe /help, /tip o el número de un botón para pulsarlo: 3.1 para el botón 1 del mensaje 3, o solo 1 para el mensaje más reciente. Ctrl-D para salir.
console-bye = Hasta pronto. Tus ajustes quedan guardados.
console-pick = Elige un número del 1 al { $count }.
console-no-message = No hay ningún mensaje { $message } con botones.
console-gone = Ese botón ya no existe: su mensaje ha cambiado desde entonces.
console-open = Abrir { $url }

## Textos fijos: la bienvenida, y lo que dice el check-in ante un patrón o una respuesta de seguridad

# El comienzo del mensaje de cuidado tras una respuesta del check-in que dice que la persona
# no se siente a salvo ni respetada: le siguen los servicios, el número de emergencias y la
# nota sobre el uso discreto.
safety-care = Gracias por responder con sinceridad. Mereces sentirte a salvo y que te traten con respeto, y si no es así, no es culpa tuya. No tienes por qué cargar con esto en soledad: alguien de confianza o una línea de ayuda confidencial pueden acompañarte. Aquí puedes pedir ayuda:
# Menos de 80 palabras; se muestra con las preguntas de reflexión y el botón del recurso de orientación.
reassess = Tus últimos check-ins muestran que das mucho más de lo que recibes. No es un veredicto sobre ti ni sobre tu pareja, solo un patrón que merece una pausa: tú también mereces recibir. En un momento tranquilo, estas preguntas pueden ayudarte a pensar qué quieres. Alguien de confianza, un servicio de orientación o una línea de ayuda pueden ayudarte a hablarlo. Por ahora, tus consejos se centran en el respeto propio, los límites y la sinceridad.
reflection-prompts =
    • ¿De qué te gustaría que hubiera más en tu relación, y de qué menos?
    • Si los próximos seis meses se parecieran a estas últimas semanas, ¿cómo te sentirías?
    • ¿Qué le dirías a alguien a quien quieres si te contara unas semanas así?
partner-carrying = Tus últimos check-ins dicen que últimamente tu pareja está dando más que tú. Puede pasar en una etapa ajetreada o difícil, y darte cuenta ya es un gesto de cariño. Cuando puedas, hazle saber que ves lo que hace y pregúntale qué le vendría bien esta semana. Tus próximos consejos se centran en el aprecio.
