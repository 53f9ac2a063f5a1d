import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkResume } from "./resumeCheck";
import { dateProblem, DATE_MESSAGE, pointerToPath, resumeErrors } from "./validate";

// Vitest runs in web/.
const example = (name: string) => readFileSync(resolve(process.cwd(), "../examples/resumes", name), "utf8");

describe("pointerToPath", () => {
  it("writes the API's path style", () => {
    expect(pointerToPath("/work/2/startDate")).toBe("work[2].startDate");
    expect(pointerToPath("/skills/0/keywords/3")).toBe("skills[0].keywords[3]");
    expect(pointerToPath("/basics/a~1b")).toBe("basics.a/b");
    expect(pointerToPath("")).toBe("");
  });
});

describe("resumeErrors", () => {
  it("accepts every example resume, JSON and YAML", () => {
    for (const name of ["senior-backend.json", "data-scientist.json", "junior-frontend.json", "staff-devops.yaml"]) {
      const checked = checkResume(example(name), name);
      expect(checked.errors, name).toEqual([]);
      expect(checked.summary).toContain(name);
    }
  });

  it("names a bad date by its path", () => {
    const resume = { work: [{}, {}, { name: "Acme", startDate: "last spring" }] };
    expect(resumeErrors(resume)).toEqual([{ field: "work[2].startDate", message: DATE_MESSAGE }]);
  });

  it("refuses a month or day out of range, as the API does", () => {
    expect(resumeErrors({ education: [{ endDate: "2019-13" }] })).toEqual([
      { field: "education[0].endDate", message: "not a date (month or day out of range)" },
    ]);
    expect(dateProblem("2021-02-00")).toMatch(/out of range/);
    expect(dateProblem("2021-02-28")).toBeNull();
    expect(dateProblem("2021")).toBeNull();
  });

  it("names wrong types and a document that is not an object", () => {
    expect(resumeErrors({ skills: [{ keywords: "Python" }] })).toEqual([
      { field: "skills[0].keywords", message: "must be array" },
    ]);
    expect(resumeErrors({ basics: { name: 3 } })).toEqual([{ field: "basics.name", message: "must be string" }]);
    expect(resumeErrors([])).toEqual([{ field: "(root)", message: "must be object" }]);
  });

  it("leaves formats alone, as the API does", () => {
    expect(resumeErrors({ basics: { email: "not an email", url: "not a url" } })).toEqual([]);
  });
});

describe("checkResume", () => {
  it("says where the JSON breaks", () => {
    const checked = checkResume('{\n  "basics": {\n    "name": "Ada",\n  }\n}', "ada.json");
    expect(checked.resume).toBeNull();
    expect(checked.errors[0].field).toBe("resume (ada.json)");
    expect(checked.errors[0].message).toMatch(/^not valid JSON: .*line 4/);
  });

  it("reads YAML years and dates as strings, as the CLI does", () => {
    const checked = checkResume("work:\n  - name: Acme\n    startDate: 2019\n    endDate: 2021-03\n", "cv.yaml");
    expect(checked.errors).toEqual([]);
    expect(checked.resume).toEqual({ work: [{ name: "Acme", startDate: "2019", endDate: "2021-03" }] });
  });

  it("says where the YAML breaks", () => {
    const checked = checkResume("work:\n  - name: [unclosed\n", "cv.yml");
    expect(checked.errors[0].message).toMatch(/^not valid YAML: .* at line \d+, column \d+/);
  });

  it("refuses an empty paste", () => {
    expect(checkResume("   ", null).errors).toEqual([{ field: "resume", message: "is empty" }]);
  });
});
