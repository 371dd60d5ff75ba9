export * from "./deepLinks";
export * from "./host";
export * from "./fluentThemes";
