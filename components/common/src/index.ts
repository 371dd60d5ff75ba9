export { languageOf, type SupportedLanguage } from "./localisation";
export * from "./dataverse";
