# Lo que la gente escribe: una hora para el consejo diario (/nudges 8pm), un lugar para la
# zona horaria (/timezone Bogotá) y la confirmación de cada uno de estos ajustes, se haga
# como se haga (comando, botón, ubicación compartida, primeros pasos).
# $city es la ciudad de la zona en el idioma de quien lee ("Berlín"), $zone su nombre IANA
# ("Europe/Berlin", o UTC: entonces no hay ciudad, de ahí las variantes [UTC]).

## Horas

time-not-understood-forms = «{ $text }» no me parece una hora. Prueba con 8pm, 20:30 o 0830.
nudges-usage-forms = Envía la hora que quieras después de /nudges, tal como la escribirías: <code>/nudges 8pm</code>, <code>/nudges 20:30</code> o <code>/nudges 0830</code>. <code>/nudges on</code> y <code>/nudges off</code> activan y desactivan el consejo diario.
time-picker-forms =
    ¿A qué hora quieres tu consejo diario? Horario de <b>{ $city }</b>.
    Para cualquier otra hora, envíala después de /nudges, como <code>/nudges 8pm</code> o <code>/nudges 20:30</code>.
tip-set = { $zone ->
    [UTC] Consejo diario activado, a las { $time } UTC.
   *[place] Consejo diario activado, a las { $time }, hora de { $city }.
}

## Zonas horarias

zone-set-to = { $zone ->
    [UTC] Zona horaria: UTC. Hora actual: { $now } UTC.
   *[place] Zona horaria: { $city } ({ $zone }). Hora actual allí: { $now }.
}
zone-location-kept = Solo guardo el nombre de la zona, no tu ubicación.
timezone-usage-places = Envía <code>/timezone</code> con tu ciudad o tu país, en español o en inglés (<code>/timezone Madrid</code>), elige una opción abajo o comparte tu ubicación (📎 → Ubicación) y la averiguo yo.
zone-not-found = No encuentro ningún lugar llamado «{ $text }». Envía una ciudad o un país, o elige una opción abajo:
zone-which-country = { $country } tiene más de una zona horaria. ¿Cuál es la tuya?
zone-which-place = Hay más de un lugar llamado «{ $text }». ¿Cuál quieres decir?
zone-not-a-place = { $kind ->
    [offset] «{ $text }» es una diferencia horaria fija: no sigue el horario de verano, así que durante parte del año tus mensajes llegarían con una hora de desfase.
   *[abbreviation] «{ $text }» es una abreviatura, no un lugar: no sigue los cambios de hora de donde vives.
} Elige tu lugar abajo o envía el nombre de tu ciudad:
zone-button-in-country = { $city } ({ $country })
