// The dashboard's end-to-end suite drives Debian's Chromium (no browser is downloaded at run time).
// On a machine without it, install it when we can (root with apt-get); otherwise say how.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (canApt) {
    console.log("Installing Debian's chromium for the dashboard's browser tests (about 30 s)…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null", {
      stdio: "inherit",
      shell: "/bin/bash",
    });
  } else {
    console.warn(`${CHROMIUM} is missing: run "sudo apt-get install -y chromium" or the browser suite will fail.`);
  }
}
