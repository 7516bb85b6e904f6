/** The command line's own messages in Spanish (i18next keys; {{name}} interpolates, _one/_other/_many are plurals). */
export default {
  "lang.unknown": "mxsim: --lang {{given}}: los idiomas de mxsim son {{langs}}; escriba p. ej. --lang es",
} as Record<string, string>;
