# The notes of the help services of content/resources.yaml, shown by /safety after a
# service's name and number: service-<id>-note, for each service marked `note: true`.
# Plain text, short, no markup. The services' names are their own (not translated) and
# stay in resources.yaml; the countries' names come from Babel.

## The international directory

service-findahelpline-note = a directory of helplines in many countries, yours included

## By country

service-us-hotline-note = 24/7; you can also text START to 88788
service-gb-helpline-note = free, 24/7
service-au-1800respect-note = 24/7
service-es-016-note = free, 24/7
service-es-024-note = if you have thoughts of suicide, or fear for someone who does; free, confidential, 24/7
service-ar-144-note = gender-based violence; free, 24/7
service-co-155-note = violence against women; free, 24/7
service-cl-1455-note = violence against women; free
service-mx-linea-de-la-vida-note = emotional crisis, mental health and addictions; free, 24/7
service-de-hilfetelefon-note = free, 24/7, in many languages
service-fr-3919-note = free and anonymous
service-it-1522-note = free, 24/7
service-nl-veilig-thuis-note = free
service-ru-anna-note = free
