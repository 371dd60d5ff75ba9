/**
 * A throwaway copy of the repository's build inputs (solution/, connector/, flows/ and built controls) in a temporary
 * folder, so a test can break one input and run the real build against it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pack } from "../../tools/build/pack";
import { repositorySources, stage } from "../../tools/build/stage";
import { readZip, type ZipPart } from "../../tools/build/zip";

const REPO = path.resolve(__dirname, "../..");

export interface Sandbox {
  root: string;
  file(relative: string): string;
  read(relative: string): string;
  write(relative: string, text: string | Uint8Array): void;
  zipsInDist(): string[];
  remove(): void;
}

function controlManifest(constructorName: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<manifest>
  <control namespace="TeamsCrm" constructor="${constructorName}" version="0.0.1" display-name-key="${constructorName}" control-type="virtual" api-version="1.3.18">
    <resources>
      <code path="bundle.js" order="1"/>
      <platform-library name="React" version="16.14.0"/>
      <resx path="strings/${constructorName}.1033.resx" version="1.0.0"/>
    </resources>
  </control>
</manifest>
`;
}

export function createSandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tcc-build-"));
  for (const folder of ["solution", "connector"]) fs.cpSync(path.join(REPO, folder), path.join(root, folder), { recursive: true });
  fs.mkdirSync(path.join(root, "flows"));
  const sandbox: Sandbox = {
    root,
    file: (relative) => path.join(root, relative),
    read: (relative) => fs.readFileSync(path.join(root, relative), "utf8"),
    write: (relative, text) => {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), text);
    },
    zipsInDist: () => (fs.existsSync(path.join(root, "dist")) ? fs.readdirSync(path.join(root, "dist")).filter((f) => f.endsWith(".zip")) : []),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  for (const control of ["CustomerContextPanel", "PipelineBoard"]) {
    const out = `components/${control}/out/controls/${control}`;
    sandbox.write(`${out}/ControlManifest.xml`, controlManifest(control));
    sandbox.write(`${out}/bundle.js`, `var x = "${control}";`);
    sandbox.write(`${out}/strings/${control}.1033.resx`, "<root />");
  }
  return sandbox;
}

export const FLOW_ID = "5b0c7a1e-3d2f-4e5a-9b8c-7d6e5f4a3b2c";
export const FLOW_FILE = `flows/SampleFlow-${FLOW_ID.toUpperCase()}.json`;

/** A small exported-shape flow: a daily trigger and one Dataverse action, reading one environment variable. */
export function sampleFlow(options: { connectionName?: string; schemaName?: string } = {}): { json: string; dataXml: string } {
  const flow = {
    properties: {
      connectionReferences: {
        shared_commondataserviceforapps: {
          runtimeSource: "embedded",
          connection: { connectionReferenceLogicalName: "tcc_sharedcommondataserviceforapps_a1b2c" },
          api: { name: "shared_commondataserviceforapps" },
        },
      },
      definition: {
        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        contentVersion: "1.0.0.0",
        parameters: {
          $connections: { defaultValue: {}, type: "Object" },
          $authentication: { defaultValue: {}, type: "SecureObject" },
          "Escalation threshold (tcc_EscalationThreshold)": {
            defaultValue: 100000,
            type: "Int",
            metadata: { schemaName: options.schemaName ?? "tcc_EscalationThreshold" },
          },
        },
        triggers: { Recurrence: { type: "Recurrence", recurrence: { frequency: "Day", interval: 1 } } },
        actions: {
          Get_account: {
            type: "OpenApiConnection",
            inputs: {
              host: { connectionName: options.connectionName ?? "shared_commondataserviceforapps", operationId: "GetItem", apiId: "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
              parameters: { entityName: "accounts", recordId: "x" },
              authentication: "@parameters('$authentication')",
            },
          },
        },
      },
      templateName: "",
    },
    schemaVersion: "1.0.0.0",
  };
  const dataXml = `<?xml version="1.0" encoding="utf-8"?>
<Workflow WorkflowId="{${FLOW_ID}}" Name="Sample Flow" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <JsonFileName>/Workflows/SampleFlow-${FLOW_ID.toUpperCase()}.json</JsonFileName>
  <Type>1</Type>
  <Subprocess>0</Subprocess>
  <Category>5</Category>
  <Mode>0</Mode>
  <Scope>4</Scope>
  <OnDemand>0</OnDemand>
  <TriggerOnCreate>0</TriggerOnCreate>
  <TriggerOnDelete>0</TriggerOnDelete>
  <AsyncAutodelete>0</AsyncAutodelete>
  <SyncWorkflowLogOnFailure>0</SyncWorkflowLogOnFailure>
  <StateCode>1</StateCode>
  <StatusCode>2</StatusCode>
  <RunAs>1</RunAs>
  <IsTransacted>1</IsTransacted>
  <IntroducedVersion>1.0.0.0</IntroducedVersion>
  <IsCustomizable>1</IsCustomizable>
  <BusinessProcessType>0</BusinessProcessType>
  <IsCustomProcessingStepAllowedForOtherPublishers>1</IsCustomProcessingStepAllowedForOtherPublishers>
  <PrimaryEntity>none</PrimaryEntity>
  <LocalizedNames>
    <LocalizedName languagecode="1033" description="Sample Flow" />
  </LocalizedNames>
</Workflow>
`;
  return { json: JSON.stringify(flow, null, 2), dataXml };
}

/** The sandbox with the sample flow, staged and packed unmanaged: the parts of the zip our build would write. */
export function packedSample(sandbox: Sandbox): ZipPart[] {
  const flow = sampleFlow();
  sandbox.write(FLOW_FILE, flow.json);
  sandbox.write(`${FLOW_FILE}.data.xml`, flow.dataXml);
  return readZip(pack(stage(repositorySources(sandbox.root)).tree, { managed: false }));
}

/** The parts with one text part changed. */
export function editedPart(parts: readonly ZipPart[], path: string, change: (text: string) => string): ZipPart[] {
  return parts.map((p) => (p.path === path ? { path, data: new Uint8Array(Buffer.from(change(Buffer.from(p.data).toString("utf8")), "utf8")) } : p));
}
