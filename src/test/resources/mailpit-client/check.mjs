// Drives Petrel's inbox API with the unmodified `mailpit-api` npm client (the version pinned in
// package-lock.json) and prints what the client returned as one JSON object on stdout, for
// MailpitClientInteropTest to assert on. It asserts nothing itself: every step records either the
// client's value or the error the client threw, so the Java test can say exactly what broke.
//
// Usage: node check.mjs BASE_URL PLAN_JSON
//   PLAN_JSON: {"id": ID to read, "searches": [{"name", "query", "start"?, "limit"?}],
//               "waitQuery", "readId", "deleteId", "deleteQuery"}
import { MailpitClient } from "mailpit-api";

// A hard stop of our own, in case a request hangs (the Java side bounds the process too).
setTimeout(() => {
  process.stderr.write("check.mjs: gave up after 60 s\n");
  process.exit(3);
}, 60_000).unref();

const [baseURL, planJson] = process.argv.slice(2);
if (!baseURL || !planJson) {
  process.stderr.write("usage: node check.mjs BASE_URL PLAN_JSON\n");
  process.exit(2);
}
const plan = JSON.parse(planJson);
const mailpit = new MailpitClient(baseURL);
const results = {};

async function step(name, call) {
  try {
    results[name] = { ok: true, value: await call() };
  } catch (error) {
    results[name] = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

// Bytes of a Blob or text as base64, so the Java side can compare them byte for byte.
async function blobToJson(blob) {
  return { type: blob.type, base64: Buffer.from(await blob.arrayBuffer()).toString("base64") };
}

// Read-only calls first (list, get, raw, search: what the issue requires), then the state changes.
await step("list", () => mailpit.listMessages());
await step("listPage", () => mailpit.listMessages(1, 1));
await step("summary", () => mailpit.getMessageSummary(plan.id));
await step("summaryLatest", () => mailpit.getMessageSummary());
await step("raw", async () => {
  const text = await mailpit.getMessageSource(plan.id);
  return { length: text.length, utf8Base64: Buffer.from(text, "utf8").toString("base64") };
});
await step("headers", () => mailpit.getMessageHeaders(plan.id));
await step("attachment", async () => {
  const message = await mailpit.getMessageSummary(plan.id);
  const part = message.Attachments[0];
  return { partId: part.PartID, ...(await blobToJson(await mailpit.getMessageAttachment(plan.id, part.PartID))) };
});
for (const search of plan.searches) {
  const request = { query: search.query };
  if (search.start !== undefined) request.start = search.start;
  if (search.limit !== undefined) request.limit = search.limit;
  await step("search:" + search.name, () => mailpit.searchMessages(request));
}
await step("waitForMessage", () => mailpit.waitForMessage({ query: plan.waitQuery }, { timeout: 5000, interval: 100 }));
await step("listAfterReads", () => mailpit.listMessages());
await step("info", () => mailpit.getInfo());

// Tags: set (with characters Mailpit strips), list, rename, search by tag, delete.
await step("setTags", () => mailpit.setTags({ IDs: [plan.id], Tags: ["invoices", "July 2026", "bad/chars!"] }));
await step("tagsAfterSet", () => mailpit.getTags());
await step("renameTag", () => mailpit.renameTag("invoices", "billing"));
await step("tagsAfterRename", () => mailpit.getTags());
await step("searchByTag", () => mailpit.searchMessages({ query: "tag:billing" }));
await step("deleteTag", () => mailpit.deleteTag("billing"));
await step("tagsAfterDelete", () => mailpit.getTags());

await step("setRead", () => mailpit.setReadStatus({ IDs: [plan.readId], Read: true }));
await step("listAfterSetRead", () => mailpit.listMessages());
// The client's "delete all" sends no body; Petrel refuses that on purpose (400, nothing deleted).
await step("deleteAllWithoutBody", () => mailpit.deleteMessages());
await step("listAfterRefusedDelete", () => mailpit.listMessages());
await step("deleteById", () => mailpit.deleteMessages({ IDs: [plan.deleteId] }));
await step("deleteBySearch", () => mailpit.deleteMessagesBySearch({ query: plan.deleteQuery }));
await step("listAfterDeletes", () => mailpit.listMessages());
// Petrel's explicit delete-all, sent through the same client call (TypeScript callers need a cast).
await step("deleteAllExplicitly", () => mailpit.deleteMessages({ All: true }));
await step("listAfterDeleteAll", () => mailpit.listMessages());

process.stdout.write(JSON.stringify(results) + "\n");
