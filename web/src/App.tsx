// Which page a path shows. Signed-out visitors of a signed-in page go to the login.

import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Layout } from "./components/Layout";
import { match, navigate, useLocation } from "./router";
import { onSessionChange, token } from "./session";
import { Login } from "./pages/accounts/Login";
import { Signup } from "./pages/accounts/Signup";
import { VerifyEmail } from "./pages/accounts/VerifyEmail";
import { ForgotPassword } from "./pages/accounts/ForgotPassword";
import { ResetConfirm } from "./pages/accounts/ResetConfirm";
import { Profile } from "./pages/accounts/Profile";
import { DataList } from "./pages/data/DataList";
import { DataView } from "./pages/data/DataView";
import { Preprocess } from "./pages/preprocess/Preprocess";
import { ModelList } from "./pages/models/ModelList";
import { ModelPage } from "./pages/models/ModelPage";
import { RunsIndex } from "./pages/runs/RunsIndex";
import { RunPage } from "./pages/runs/RunPage";
import { Compare } from "./pages/Compare";
import { Predict } from "./pages/Predict";
import { Cluster } from "./pages/Cluster";
import { NotFound } from "./pages/NotFound";

type Page = FunctionComponent<{ params: Record<string, string>; query: URLSearchParams }>;

interface Route {
  pattern: string;
  page: Page;
  title: string;
  public?: boolean;
}

const ROUTES: Route[] = [
  { pattern: "/app/login/", page: Login, title: "Log in", public: true },
  { pattern: "/app/signup/", page: Signup, title: "Sign up", public: true },
  { pattern: "/app/password/forgot/", page: ForgotPassword, title: "Forgotten password", public: true },
  { pattern: "/verify-email/:key/", page: VerifyEmail, title: "Confirm e-mail", public: true },
  { pattern: "/password-reset/confirm/:uid/:token/", page: ResetConfirm, title: "New password", public: true },
  { pattern: "/app/profile/", page: Profile, title: "Profile" },
  { pattern: "/app/data/", page: DataList, title: "Data" },
  { pattern: "/app/data/:id/", page: DataView, title: "Upload" },
  { pattern: "/app/preprocess/", page: Preprocess, title: "Preprocess" },
  { pattern: "/app/models/", page: ModelList, title: "Models" },
  { pattern: "/app/models/:id/", page: ModelPage, title: "Model" },
  { pattern: "/app/runs/", page: RunsIndex, title: "Runs" },
  { pattern: "/app/runs/:id/", page: RunPage, title: "Run" },
  { pattern: "/app/compare/", page: Compare, title: "Compare" },
  { pattern: "/app/predict/", page: Predict, title: "Predict" },
  { pattern: "/app/cluster/", page: Cluster, title: "Cluster" },
];

function resolve(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

export function App() {
  const { path, query } = useLocation();
  const [signedIn, setSignedIn] = useState(token() !== null);
  useEffect(() => onSessionChange((t) => setSignedIn(t !== null)), []);

  const home = path === "/" || path === "/app" || path === "/app/";
  const found = home ? null : resolve(path);
  const mustSignIn = !home && found && !found.route.public && !signedIn;

  useEffect(() => {
    if (home) navigate(signedIn ? "/app/models/" : "/app/login/", true);
    else if (mustSignIn) navigate(`/app/login/?next=${encodeURIComponent(path + location.search)}`, true);
  }, [home, mustSignIn, signedIn, path]);

  useEffect(() => {
    document.title = found ? `${found.route.title} · netsmith` : "netsmith";
  }, [found?.route.title]);

  if (home || mustSignIn) return null;
  if (!found) return signedIn ? <Layout><NotFound framed /></Layout> : <NotFound />;
  const { route, params } = found;
  const Page = route.page;
  const page = <Page key={path} params={params} query={query} />;
  return route.public ? page : <Layout>{page}</Layout>;
}
