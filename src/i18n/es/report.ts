/** The report messages in Spanish (i18next keys; {{name}} interpolates, _one/_other/_many are plurals). */
export default {} as Record<string, string>;
