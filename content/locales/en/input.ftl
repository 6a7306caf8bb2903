# Input as people type it: a time for the daily tip (/nudges 8pm), a place for the time
# zone (/timezone São Paulo), and the one confirmation each of these settings gets,
# whichever way it was made (command, button, shared location, the first steps).
# $city is the zone's city in the reader's language ("Berlin"), $zone its IANA name
# ("Europe/Berlin", or UTC: then there is no city, hence the [UTC] variants).

## Times

time-not-understood-forms = I couldn't read “{ $text }” as a time. Try 8pm, 20:30 or 0830.
nudges-usage-forms = Send the time you'd like after /nudges, as you'd write it: <code>/nudges 8pm</code>, <code>/nudges 20:30</code> or <code>/nudges 0830</code>. <code>/nudges on</code> and <code>/nudges off</code> turn the daily tip on and off.
time-picker-forms =
    When would you like your daily tip? Times are in <b>{ $city }</b>.
    For any other time, send it after /nudges, like <code>/nudges 8pm</code> or <code>/nudges 20:30</code>.
tip-set = { $zone ->
    [UTC] Daily tip on, at { $time } UTC.
   *[place] Daily tip on, at { $time } { $city } time.
}

## Time zones

zone-set-to = { $zone ->
    [UTC] Time zone: UTC. It's { $now } UTC now.
   *[place] Time zone: { $city } ({ $zone }). It's { $now } there now.
}
zone-location-kept = I keep only the zone name, not your location.
timezone-usage-places = Send <code>/timezone</code> with your city or country, in English or your language (<code>/timezone Berlin</code>), pick one below, or share your location (📎 → Location) and I'll work it out.
zone-not-found = I couldn't find a place called “{ $text }”. Send a city or a country, or pick one below:
zone-which-country = { $country } has more than one time zone. Which one is yours?
zone-which-place = More than one place is called “{ $text }”. Which one do you mean?
zone-not-a-place = { $kind ->
    [offset] “{ $text }” is a fixed offset: it doesn't follow daylight saving, so for part of the year your messages would come an hour off.
   *[abbreviation] “{ $text }” is an abbreviation, not a place: it doesn't follow the clock changes where you live.
} Pick your place below, or send the name of your city:
zone-button-in-country = { $city } ({ $country })
