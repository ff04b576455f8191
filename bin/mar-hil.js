#!/usr/bin/env node
// The CLI is TypeScript; tsx loads it without a build step so `npx mar-hil` works right after `npm ci`.
import { register } from "tsx/esm/api";

register();
// mar-hil targets Node 20 (package.json engines) with a locked SDK version: one line of output per
// command matters more than the SDK's notice about future releases.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
