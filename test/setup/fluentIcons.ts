import { setIconOptions } from "@fluentui/react";

// Dynamics 365 registers Fluent's icon font for the controls; tests have no font, so Fluent would warn for every icon.
setIconOptions({ disableWarnings: true });
