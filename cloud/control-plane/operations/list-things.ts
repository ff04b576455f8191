// aws-iot §3.2 ListThings — GET /things?maxResults&nextToken&attributeName&attributeValue&usePrefixAttributeValue&thingTypeName.
import { compact, queryBool, queryInt, queryString, type Operation } from "../operation.ts";

export const listThings: Operation = (r) => {
  const page = r.account.listThings(
    compact({
      maxResults: queryInt(r, "maxResults"),
      nextToken: queryString(r, "nextToken"),
      attributeName: queryString(r, "attributeName"),
      attributeValue: queryString(r, "attributeValue"),
      usePrefixAttributeValue: queryBool(r, "usePrefixAttributeValue"),
      thingTypeName: queryString(r, "thingTypeName"),
    }),
  );
  return compact({
    things: page.items.map((t) => ({
      thingName: t.thingName,
      thingArn: t.thingArn,
      attributes: t.attributes,
      version: t.version,
    })),
    nextToken: page.next,
  });
};
