export { languageOf, type SupportedLanguage } from "./localisation";
