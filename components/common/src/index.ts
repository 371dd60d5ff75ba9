export { languageOf, type SupportedLanguage } from "./localisation";
export * from "./dataverse";
export * from "./teams";
