// Hash routes, so a job or a batch can be reopened by its address and the static server
// needs no fallback: #/tailor, #/jobs/<id>, #/rank, #/rank/<batch id>.
import { useEffect, useState } from "react";

export type Route =
  | { view: "tailor" }
  | { view: "job"; id: string }
  | { view: "rank"; batchId: string | null };

const ID = "[0-9a-fA-F-]{36}";

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const job = new RegExp(`^/jobs/(${ID})$`).exec(path);
  if (job) return { view: "job", id: job[1] };
  const batch = new RegExp(`^/rank/(${ID})$`).exec(path);
  if (batch) return { view: "rank", batchId: batch[1] };
  if (path === "/rank") return { view: "rank", batchId: null };
  return { view: "tailor" };
}

export function routeHash(route: Route): string {
  if (route.view === "job") return `#/jobs/${route.id}`;
  if (route.view === "rank") return route.batchId ? `#/rank/${route.batchId}` : "#/rank";
  return "#/tailor";
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function go(route: Route): void {
  window.location.hash = routeHash(route);
}
