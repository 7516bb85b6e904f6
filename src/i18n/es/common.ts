/** Words every part of mxsim shares, in Spanish (i18next keys; {{name}} interpolates, _one/_other/_many are plurals). */
export default {
  "unit.day_one": "{{count}} día",
  "unit.day_many": "{{count}} días",
  "unit.day_other": "{{count}} días",
  "unit.hour_one": "{{count}} hora",
  "unit.hour_many": "{{count}} horas",
  "unit.hour_other": "{{count}} horas",
  "unit.minute_one": "{{count}} minuto",
  "unit.minute_many": "{{count}} minutos",
  "unit.minute_other": "{{count}} minutos",
  "unit.second_one": "{{count}} segundo",
  "unit.second_many": "{{count}} segundos",
  "unit.second_other": "{{count}} segundos",
  "unit.and": "{{a}} y {{b}}",
} as Record<string, string>;
