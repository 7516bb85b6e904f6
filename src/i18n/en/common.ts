/** Words every part of mxsim shares, in English (i18next keys; {{name}} interpolates, _one/_other are plurals). */
export default {
  "unit.day_one": "{{count}} day",
  "unit.day_other": "{{count}} days",
  "unit.hour_one": "{{count}} hour",
  "unit.hour_other": "{{count}} hours",
  "unit.minute_one": "{{count}} minute",
  "unit.minute_other": "{{count}} minutes",
  "unit.second_one": "{{count}} second",
  "unit.second_other": "{{count}} seconds",
  "unit.and": "{{a}} and {{b}}",
} as Record<string, string>;
