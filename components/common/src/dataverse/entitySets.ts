/**
 * Entity set names for the tables we use. The Web API addresses tables by set name while PCF's `webAPI` uses
 * logical names; this mapping is fixed by Dataverse and does not need a metadata round trip.
 */
const ENTITY_SETS: Readonly<Record<string, string>> = {
  account: "accounts",
  contact: "contacts",
  opportunity: "opportunities",
  incident: "incidents",
  task: "tasks",
  phonecall: "phonecalls",
  email: "emails",
  appointment: "appointments",
  activitypointer: "activitypointers",
  annotation: "annotations",
  systemuser: "systemusers",
  team: "teams",
  transactioncurrency: "transactioncurrencies",
  tcc_teamslink: "tcc_teamslinks",
  workflow: "workflows",
  processstage: "processstages",
  // The instance tables of the business process flows Dynamics 365 Sales and Customer Service ship.
  opportunitysalesprocess: "opportunitysalesprocesses",
  leadtoopportunitysalesprocess: "leadtoopportunitysalesprocesses",
  phonetocaseprocess: "phonetocaseprocesses",
};

export function entitySetName(table: string): string {
  const set = ENTITY_SETS[table];
  if (set === undefined) {
    throw new Error(`No entity set name is known for table '${table}'; add it to components/common/src/dataverse/entitySets.ts`);
  }
  return set;
}

/** The part of a table's metadata that names its entity set; PCF's `utils.getEntityMetadata` answers with it. */
export interface EntitySetMetadata {
  readonly EntitySetName?: string;
}

/**
 * Set names for any table: the fixed list first, then the table's metadata, asked once per table. A failed lookup is
 * asked again next time rather than remembered.
 */
export function entitySetsFrom(metadata: (table: string) => Promise<EntitySetMetadata>): (table: string) => Promise<string> {
  const learned = new Map<string, Promise<string>>();
  return (table) => {
    const known = ENTITY_SETS[table];
    if (known !== undefined) return Promise.resolve(known);
    let set = learned.get(table);
    if (set === undefined) {
      set = metadata(table).then(({ EntitySetName: name }) => {
        if (typeof name !== "string" || name === "") throw new Error(`The metadata of table '${table}' names no entity set (EntitySetName)`);
        return name;
      });
      set.catch(() => learned.delete(table));
      learned.set(table, set);
    }
    return set;
  };
}

/** The value for `<navigation>@odata.bind` that points a lookup at a row. */
export function bindTo(table: string, id: string): string {
  return `/${entitySetName(table)}(${normaliseGuid(id)})`;
}

export function normaliseGuid(id: string): string {
  const bare = id.replace(/^\{|\}$/g, "").toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(bare)) {
    throw new Error(`'${id}' is not a GUID`);
  }
  return bare;
}
