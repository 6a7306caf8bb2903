# Vincular los check-ins de dos personas (/partner), el espejo de la semana compartida
# (/mirror) y los mensajes del vínculo. $partner es cómo habla la persona de su pareja;
# $name es el nombre de la otra persona tal como lo da su app (o pair-no-name).

command-partner = hacer el check-in junto con tu pareja
command-mirror = volver a ver tu última semana compartida

settings-pairing = Check-in en pareja

## /partner

pair-title = <b>Check-in en pareja</b>
pair-about =
    Puedes invitar a tu pareja a hacer el check-in contigo. Cada parte responde su propio check-in, en privado. Cuando ambas terminan uno en la misma semana, cada una recibe una «semana compartida»: área por área, en qué coinciden las dos miradas y en qué se diferencian.

    <b>Tu pareja verá</b>: que sus check-ins y los tuyos están vinculados, tu nombre y cada semana compartida.
    <b>Tu pareja nunca verá</b>: tus respuestas (salvo que ambas partes decidan mostrarlas), tus consejos, tus ajustes ni nada sobre la pregunta de seguridad.

    Cualquiera de las dos partes puede desvincular los check-ins en cualquier momento. Es totalmente opcional: el bot funciona igual de bien si lo usas por tu cuenta.
pair-invite = Invitar a mi pareja
pair-invite-again = Crear una invitación nueva
pair-withdraw = Retirar la invitación
pair-invite-open = Tu invitación sigue abierta hasta { $until }. Si creas una nueva, sustituye a esta.
pair-invite-withdrawn = Invitación retirada: su enlace y su código ya no funcionan.
pair-invitation =
    <b>Tu invitación</b>

    Envía este enlace a tu pareja:
    { $link }

    O bien puede escribir <code>/partner { $code }</code> en su chat conmigo.
    Funciona una sola vez, durante { $hours ->
        [one] { $hours } hora
        [many] { $hours } horas
       *[other] { $hours } horas
    }. Te avisaré cuando acepte.
pair-invitation-code-only =
    <b>Tu invitación</b>

    Tu pareja puede escribir <code>/partner { $code }</code> en su chat conmigo.
    Funciona una sola vez, durante { $hours ->
        [one] { $hours } hora
        [many] { $hours } horas
       *[other] { $hours } horas
    }. Te avisaré cuando acepte.
pair-share = Enviar el enlace
pair-share-text = ¿Te gustaría hacer conmigo un check-in cada semana? Es privado: respondemos por separado.
pair-copy-code = Copiar el código
pair-no-name = tu pareja
pair-paired = Tus check-ins están vinculados con los de <b>{ $name }</b>.
pair-shared = Cada parte responde su propio check-in, en privado. Cuando ambas terminan uno en la misma semana, cada una recibe una semana compartida: en qué coinciden las dos miradas y en qué se diferencian, nunca las respuestas en sí. Nunca se comparte nada sobre la pregunta de seguridad.
pair-answers = Mostrar mis respuestas en nuestras semanas compartidas: <b>{ $mine ->
        [on] sí
       *[off] no
    }</b>. Solo aparecen si ambas partes lo eligen; { $theirs ->
        [on] { $partner ->
            [he] él ya lo ha elegido.
            [she] ella ya lo ha elegido.
           *[they] tu pareja ya lo ha elegido.
        }
       *[off] { $partner ->
            [he] él todavía no lo ha elegido.
            [she] ella todavía no lo ha elegido.
           *[they] tu pareja todavía no lo ha elegido.
        }
    }
pair-show-answers = Mostrar mis respuestas
pair-hide-answers = Dejar de mostrar mis respuestas
pair-answers-shown = Guardado: tus respuestas aparecerán en tus semanas compartidas, pero solo cuando ambas partes lo hayan elegido.
pair-answers-hidden = Guardado: tus respuestas siguen siendo privadas.
pair-unpair = Desvincular los check-ins
pair-unpair-confirm = ¿Desvincular los check-ins? Ya no se compartirá nada más entre tus check-ins y los de tu pareja, y las semanas compartidas se borrarán. Tus propios check-ins se quedan como están. A tu pareja solo se le dirá que los check-ins se desvincularon.
pair-unpair-yes = Sí, desvincular
pair-unpair-no = No, mantener
pair-ended-you = Listo: los check-ins ya no están vinculados. No se comparte nada más, y tus propios check-ins siguen como estaban. Con /partner puedes crear una invitación nueva cuando quieras.
pair-not-paired = Ahora mismo tus check-ins no están vinculados con los de nadie. Con /partner puedes crear una invitación.
pair-ended-partner = Tus check-ins ya no están vinculados con los de tu pareja. Ya no se comparte nada más; tus propios check-ins y tus ajustes siguen como estaban.
pair-open = Check-in en pareja

## Abrir una invitación

pair-code-not-valid = Esa invitación no es válida. Pide una nueva: se crea con /partner.
pair-own-code = Esa es tu propia invitación: envíasela a tu pareja, que la abrirá en su chat conmigo.
pair-already-paired = Tus check-ins ya están vinculados. Para vincularlos con otra persona, primero desvincúlalos en /partner.
pair-invited = <b>{ $name }</b> te invita a hacer el check-in en pareja.
pair-invited-newcomer = Soy un pequeño bot de coaching: un consejo práctico al día y un breve check-in semanal. Para vincular tus check-ins necesito guardar tus ajustes y tus respuestas (en /privacy tienes los detalles). Si aceptas, das tu conformidad para ello.
pair-accept = Aceptar
pair-decline = No, gracias
pair-accepted = Listo: tus check-ins ya están vinculados con los de <b>{ $name }</b>. Cuando ambas partes terminen un check-in en la misma semana, cada una recibirá aquí su semana compartida. /checkin empieza el tuyo; /partner muestra qué se comparte.
pair-declined = Sin problema: tus check-ins no se vinculan y no se ha compartido nada. { $partner ->
        [he] Él
        [she] Ella
       *[they] Tu pareja
    } solo sabrá que la invitación no se aceptó.
pair-declined-inviter = Tu invitación no se aceptó. No se ha compartido nada. Puedes crear otra con /partner cuando te parezca el momento.
pair-accepted-inviter = <b>{ $name }</b> aceptó tu invitación: sus check-ins y los tuyos ya están vinculados. Cuando ambas partes terminen un check-in en la misma semana, cada una recibirá aquí su semana compartida.

## Tras una respuesta de seguridad (privado: nada de esto le llega a la pareja)

pair-safety-offer = En este bot tienes tus check-ins vinculados con los de otra persona. Si por ahora prefieres que no se comparta nada de tus check-ins, puedes pausarlo o desvincularlos. Tu pareja no sabrá por qué; si los desvinculas, solo sabrá que se desvincularon.
pair-pause = Pausar lo compartido
pair-end = Desvincular los check-ins
pair-paused = Lo compartido está en pausa: nada de tus check-ins le llega a tu pareja, y no se le avisa. Con /partner lo reanudas cuando quieras.
pair-paused-line = <i>Has pausado lo compartido.</i>
pair-resume = Reanudar lo compartido
pair-resumed = Se vuelve a compartir a partir de tu próximo check-in.

## La semana compartida

mirror-title = 🪞 <b>Tu semana compartida</b> · semana del { $week }
mirror-intro = Esta semana hay un check-in terminado por cada parte: el tuyo y el de { $name }. Aquí tienes en qué coinciden las dos miradas y en qué se diferencian. Nadie ve las respuestas de la otra parte.
mirror-intro-answers = Esta semana hay un check-in terminado por cada parte: el tuyo y el de { $name }. Aquí tienes en qué coinciden las dos miradas y en qué se diferencian; como ambas partes decidieron mostrar sus respuestas, también aparecen aquí.
mirror-meet = <b>Donde las miradas coinciden</b>
mirror-differ = <b>Donde las miradas difieren</b>
mirror-line = • <b>{ $area }</b>: { $view }
mirror-answers = { "  " }<i>tú: «{ $mine }» · { $partner ->
        [he] él
        [she] ella
       *[they] tu pareja
    }: «{ $theirs }»</i>
mirror-both-even = para ambas partes estuvo más o menos equilibrado.
mirror-both-you = las dos miradas coinciden: esta semana aquí diste más tú.
mirror-both-partner = las dos miradas coinciden: esta semana aquí { $partner ->
        [he] dio más él.
        [she] dio más ella.
       *[they] dio más tu pareja.
    }
mirror-each-gives = cada parte siente que fue la que más dio.
mirror-each-receives = cada parte siente que la otra dio más: vale la pena decirlo en voz alta.
mirror-even-you = para ti estuvo más o menos equilibrado; { $partner ->
        [he] él siente
        [she] ella siente
       *[they] tu pareja siente
    } que diste más tú.
mirror-even-partner = para ti estuvo más o menos equilibrado; { $partner ->
        [he] él siente que dio más.
        [she] ella siente que dio más.
       *[they] tu pareja siente que dio más.
    }
mirror-you-even = sientes que diste más tú; para { $partner ->
        [he] él
        [she] ella
       *[they] tu pareja
    } estuvo más o menos equilibrado.
mirror-partner-even = sientes que { $partner ->
        [he] él dio más; para él
        [she] ella dio más; para ella
       *[they] tu pareja dio más; desde su lado,
    } estuvo más o menos equilibrado.
mirror-both-well = ambas partes lo vivieron bien.
mirror-both-low = esta semana fue difícil para ambas partes.
mirror-similar = ambas partes lo vivieron de forma muy parecida.
mirror-you-more = lo viviste mejor tú que { $partner ->
        [he] él.
        [she] ella.
       *[they] tu pareja.
    }
mirror-partner-more = lo vivió mejor { $partner ->
        [he] él
        [she] ella
       *[they] tu pareja
    } que tú.
mirror-nothing-shared = Esta vez no hubo áreas respondidas por ambas partes, así que no hay nada que poner lado a lado. Quizá la próxima semana.
mirror-closing = Dos miradas sobre una misma semana no son un veredicto sobre ninguna de las dos partes. Donde difieren hay un buen punto de partida, con curiosidad: «¿Cómo fue esta semana desde tu lado?»
mirror-waiting = Tus check-ins están vinculados: cuando ambas partes terminen un check-in esta semana, cada una recibirá aquí su semana compartida.
mirror-not-paired = Las semanas compartidas llegan cuando haces el check-in junto con tu pareja.
mirror-none-yet = Todavía no hay ninguna semana compartida. Llegará cuando ambas partes terminen un check-in en la misma semana.
partner-reminder = Tu pareja ya terminó el check-in de esta semana. Cuando hagas el tuyo, cada parte verá su semana compartida. Lleva unos dos minutos.

## Mirar atrás

history-mirror = { " " }🪞
history-mirror-legend = <i>🪞 una semana compartida con tu pareja (/mirror muestra la última)</i>
trend-partner-caption = La línea discontinua muestra cómo vio tu pareja las semanas compartidas, en la misma escala: hacia arriba, tu pareja dio más; hacia abajo, diste más tú.
chart-you = Tú
chart-partner = La mirada de tu pareja
