// The scripts' words come from Django's JavaScript catalogue (/i18n/scripts/, loaded just before
// this), in the page's language. Should it fail to load, the scripts still speak, in English.
window.gettext ??= (text) => text;
window.ngettext ??= (one, many, count) => (count === 1 ? one : many);
window.interpolate ??= (text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
