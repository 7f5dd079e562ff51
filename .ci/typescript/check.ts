// What a front end writes against the types openapi-typescript generates
// from openapi.yaml (into ./kecs.d.ts, by .ci/typescript-types). It must
// compile under --strict, and each `@ts-expect-error` must meet its error:
// each element's data has a type of its own, so a field of another element
// or a value of the wrong type does not compile.
import type { components, paths } from "./kecs";

type Schemas = components["schemas"];
type PutBody<P extends keyof paths> = paths[P] extends {
  put: { requestBody: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

// Every element but Character & Fitness (its own route) has a PUT of its own.
type DataElement = Exclude<Schemas["ElementKeyName"], "character_and_fitness">;
type EveryElementBody = {
  [K in DataElement]: PutBody<`/api/v1/applications/{id}/elements/${K}`>;
};
export const nothingYet: EveryElementBody["attestation"] = {};

export const education: PutBody<"/api/v1/applications/{id}/elements/education"> = {
  degrees: [{ level: "bachelor", field: "ece" }],
  ece_credit_hours: 12,
};
export const topics: Schemas["TopicsData"] = {
  topics: ["child_growth_and_development", "child_assessments"],
};
export const employer: Schemas["ExperienceData"] = {
  ece_experience_years: 3,
  employer: { name: "Pat Director", email: "director@centre.example.org" },
};

// @ts-expect-error: `topics` belongs to the topics element, not education
export const foreignField: Schemas["EducationData"] = { topics: [] };
// @ts-expect-error: credit hours are a number
export const wrongType: Schemas["EducationData"] = { ece_credit_hours: "12" };
// @ts-expect-error: no such degree level
export const unknownLevel: Schemas["EducationData"] = { degrees: [{ level: "phd", field: "ece" }] };
// @ts-expect-error: the employer needs an email to be invited
export const noEmail: Schemas["ExperienceData"] = { employer: { name: "Pat" } };

// Saved data comes back in the element's own type, from GET and PUT alike.
type Read<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { "application/json": infer Body } } } };
}
  ? Body
  : never;
type SavedEducation = NonNullable<Read<"/api/v1/applications/{id}/elements/education">["data"]>;
export function creditHours(saved: SavedEducation): number | null | undefined {
  return saved.ece_credit_hours;
}
type SavedAnswers = NonNullable<Schemas["CharacterAndFitnessElement"]["data"]>;
export const firstAnswer = (saved: SavedAnswers): boolean | undefined => saved.answers[0]?.answer;
// @ts-expect-error: saved education data has no topics
export const noTopics = (saved: SavedEducation) => saved.topics;

// The review file's entries narrow by `key` to their element's data.
export function topicsOnFile(entry: Schemas["ElementDataBody"]) {
  if (entry.key === "topics") {
    return entry.data?.topics;
  }
  // @ts-expect-error: only the topics entry has topics
  return entry.data?.topics;
}
