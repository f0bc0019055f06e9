#!/bin/sh
# The translation catalogues (matchmaker/translations/<language>/LC_MESSAGES/messages.po):
#   scripts/translations.sh extract   # gather the strings of the code and the templates
#   scripts/translations.sh update    # extract, then merge new strings into every .po
#   scripts/translations.sh compile   # write the .mo files the app reads (committed)
#   scripts/translations.sh init LANG # start a catalogue for a new language
# tests/i18n/test_catalogues.py checks that every catalogue is complete, has no fuzzy
# entry, compiles, and that the committed .mo files are those the .po files give.
set -eu
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
POT="${POT:-matchmaker/translations/messages.pot}"
DIR=matchmaker/translations

extract() {
    "$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k Later \
        -k said -k said_n:1,2 -k N_ \
        --sort-by-file --no-location --omit-header --no-wrap -o "$POT" matchmaker templates
}

case "${1:-}" in
    extract) extract ;;
    update) extract && "$PYBABEL" update -i "$POT" -d "$DIR" --no-wrap --ignore-obsolete ;;
    compile) "$PYBABEL" compile -d "$DIR" --statistics ;;
    init) "$PYBABEL" init -i "$POT" -d "$DIR" -l "$2" --no-wrap ;;
    *) echo "usage: $0 extract|update|compile|init LANG" >&2; exit 2 ;;
esac
