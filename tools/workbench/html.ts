/** The two HTML shells; everything else is built by the page scripts. */

/** Where the workbench serves Fluent's icon font files (node_modules/@fluentui/font-icons-mdl2/fonts). */
export const ICON_FONT_PATH = "/platform/fonts/";

/**
 * The app page loads the platform libraries the way Dynamics 365 provides them (React 16.14 as `Reactv16`, Fluent
 * 8.121.1 as `FluentUIReactv81211`), a control registry, the production control bundles, then the workbench.
 * Like a model-driven app it registers Fluent's MDL2 icon font before any control renders (Microsoft's field
 * component tutorial: "Inside model-driven apps, they're already initialized"; docs/reference/fluent-icons.md), with
 * the font files served from @fluentui/font-icons-mdl2 instead of Microsoft's CDN, so the page works offline.
 */
export function appHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Teams Customer Collaboration — workbench</title>
<link rel="icon" href="data:,">
<script src="/platform/react.js"></script>
<script src="/platform/react-dom.js"></script>
<script>
window.Reactv16 = window.React;
window.ComponentFramework = { controls: {}, registerControl: function (name, ctor) { this.controls[name] = ctor; } };
</script>
<script src="/platform/fluent.js"></script>
<script>
window.FluentUIReactv81211.initializeIcons("${ICON_FONT_PATH}");
</script>
<script src="/controls/CustomerContextPanel/bundle.js"></script>
<script src="/controls/PipelineBoard/bundle.js"></script>
</head>
<body>
<div id="workbench"></div>
<script src="/workbench/app.js"></script>
</body>
</html>
`;
}

/** The simulated Teams client; `appOrigin` is where the framed app page is served. */
export function teamsHtml(appOrigin: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Microsoft Teams (workbench host)</title>
<link rel="icon" href="data:,">
</head>
<body data-app-origin="${appOrigin.replace(/[^A-Za-z0-9:/.\-[\]]/g, "")}">
<div id="teams"></div>
<script src="/workbench/teams.js"></script>
</body>
</html>
`;
}
