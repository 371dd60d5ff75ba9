export * from "./deepLinks";
export * from "./host";
