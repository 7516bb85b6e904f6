/** The explain messages in English (i18next keys; {{name}} interpolates, _one/_other are plurals). */
export default {} as Record<string, string>;
