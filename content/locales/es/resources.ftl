# Las notas de los servicios de ayuda de content/resources.yaml, que /safety muestra tras el
# nombre y el número de cada servicio: service-<id>-note, para cada servicio con `note: true`.
# Texto sencillo, breve, sin marcado. Los nombres de los servicios son los suyos propios (no se
# traducen) y siguen en resources.yaml; los nombres de los países vienen de Babel.

## El directorio internacional

service-findahelpline-note = un directorio de líneas de ayuda de muchos países, incluido el tuyo

## Por país

service-us-hotline-note = las 24 horas; también puedes enviar START por SMS al 88788
service-gb-helpline-note = gratis, las 24 horas
service-au-1800respect-note = las 24 horas
service-es-016-note = gratis, las 24 horas
service-es-024-note = si tienes pensamientos de suicidio, o temes por alguien que los tiene; gratis, confidencial, las 24 horas
service-ar-144-note = violencia de género; gratis, las 24 horas
service-co-155-note = violencia contra las mujeres; gratis, las 24 horas
service-cl-1455-note = violencia contra las mujeres; gratis
service-mx-linea-de-la-vida-note = crisis emocional, salud mental y adicciones; gratis, las 24 horas
service-de-hilfetelefon-note = gratis, las 24 horas, en muchos idiomas
service-fr-3919-note = gratis y anónimo
service-it-1522-note = gratis, las 24 horas
service-nl-veilig-thuis-note = gratis
service-ru-anna-note = gratis
