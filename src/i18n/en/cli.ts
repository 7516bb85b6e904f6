/** The command line's own messages in English (i18next keys; {{name}} interpolates, _one/_other are plurals). */
export default {
  "lang.unknown": "mxsim: --lang {{given}}: the languages mxsim writes are {{langs}}; write e.g. --lang es",
} as Record<string, string>;
