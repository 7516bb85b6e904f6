// The tests read English text: a Spanish LANG on the machine that runs them must not change it
// (mxsim follows LC_ALL, LC_MESSAGES and LANG; test/i18n tests set them explicitly). Children inherit this.
delete process.env.LC_ALL;
delete process.env.LC_MESSAGES;
process.env.LANG = "C.UTF-8";
