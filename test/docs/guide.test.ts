/**
 * Both guides name everything an admin or maker has to set: every environment variable, control property, connector
 * operation and connection reference, read from the sources so a new one cannot be added without documenting it.
 */
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const guides = ["docs/guide.md", "docs/guide.zh-CN.md"].map((file) => [file, read(file)] as const);

function environmentVariables(): string[] {
  return fs.readdirSync(path.join(ROOT, "solution/environmentvariabledefinitions"));
}

function controlProperties(): string[] {
  return ["CustomerContextPanel", "PipelineBoard"].flatMap((control) => {
    const manifest = read(`components/${control}/${control}/ControlManifest.Input.xml`);
    return [...manifest.matchAll(/<(?:property|data-set) name="([^"]+)"/g)].map((m) => m[1]);
  });
}

function connectorOperations(): string[] {
  const swagger = JSON.parse(read("connector/apiDefinition.swagger.json")) as { paths: Record<string, Record<string, { operationId?: string }>> };
  return Object.values(swagger.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId).filter((id): id is string => !!id));
}

function connectionReferences(): string[] {
  const dir = path.join(ROOT, "flows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      const flow = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { properties: { connectionReferences: Record<string, { connection: { connectionReferenceLogicalName: string } }> } };
      return Object.values(flow.properties.connectionReferences).map((r) => r.connection.connectionReferenceLogicalName);
    });
}

describe.each(guides)("%s", (_file, text) => {
  test.each(environmentVariables())("names environment variable %s", (name) => expect(text).toContain(name));
  test.each(controlProperties())("names control property %s", (name) => expect(text).toContain(name));
  test.each(connectorOperations())("names connector operation %s", (name) => expect(text).toContain(name));
  test("names every connection reference the flows use", () => {
    for (const name of connectionReferences()) expect(text).toContain(name);
  });
});
