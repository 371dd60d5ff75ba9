export * from "./connection";
export * from "./deepLinks";
export * from "./host";
export * from "./fluentThemes";
