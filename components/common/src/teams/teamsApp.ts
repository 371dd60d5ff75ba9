/**
 * Only `app` from `@microsoft/teams-js`, imported statically here so webpack can leave the library's other namespaces
 * out of the bundle; teamsJs.ts imports this module dynamically so none of it runs outside Teams.
 */
export { app } from "@microsoft/teams-js";
