// aws-iot §3.1 ListCertificates — GET /certificates?pageSize&marker&isAscendingOrder.
import { compact, queryBool, queryInt, queryString, type Operation } from "../operation.ts";

export const listCertificates: Operation = (r) => {
  const page = r.account.listCertificates(
    compact({
      pageSize: queryInt(r, "pageSize"),
      marker: queryString(r, "marker"),
      ascendingOrder: queryBool(r, "isAscendingOrder"),
    }),
  );
  return compact({
    certificates: page.items.map((c) => ({
      certificateArn: c.certificateArn,
      certificateId: c.certificateId,
      status: c.status,
      certificateMode: c.certificateMode,
      creationDate: c.creationDate,
    })),
    nextMarker: page.next,
  });
};
