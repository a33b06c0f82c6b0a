/**
 * `heim-cancel/pseudo-locale`: the translators' test tool, an entry of its own so the widget's
 * entry (`heim-cancel`) holds only what patients use. See docs/languages.md.
 */
export { pseudoLocalize, pseudoLocalizeMessages } from './widget/pseudo-locale';
