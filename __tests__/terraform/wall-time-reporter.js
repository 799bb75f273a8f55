/** Prints the Terraform suite's own wall time (the issue asks for it; `npm test` excludes the suite). */
class WallTimeReporter {
  onRunStart() {
    this.started = Date.now();
  }
  onRunComplete(_contexts, results) {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    process.stdout.write(`terraform suite: ${results.numPassedTests} passed, ${results.numFailedTests} failed in ${seconds} s wall time\n`);
  }
}
module.exports = WallTimeReporter;
