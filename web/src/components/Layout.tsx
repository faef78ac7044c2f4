// The frame of every signed-in page: the navigation and the account menu.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { accounts } from "../api";
import { navigate, useLocation } from "../router";
import { signOutLocally } from "../session";
import { Button } from "./forms";

const SECTIONS = [
  { href: "/app/data/", label: "Data", icon: "▤" },
  { href: "/app/preprocess/", label: "Preprocess", icon: "◐" },
  { href: "/app/models/", label: "Models", icon: "◇" },
  { href: "/app/runs/", label: "Runs", icon: "↗" },
  { href: "/app/compare/", label: "Compare", icon: "⇆" },
  { href: "/app/predict/", label: "Predict", icon: "◎" },
  { href: "/app/cluster/", label: "Cluster", icon: "▦" },
];

export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const [leaving, setLeaving] = useState(false);
  const logout = async () => {
    setLeaving(true);
    try {
      await accounts.logout();
    } catch {
      // Signed out here in any case: the key is forgotten below.
    }
    signOutLocally();
    navigate("/app/login/?signed_out=1");
  };
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/app/models/">
          <img src="/app/favicon.svg" alt="" width="26" height="26" />
          netsmith
        </a>
        <div class="account">
          <a href="/app/profile/" aria-current={path.startsWith("/app/profile") ? "page" : undefined}>
            Profile
          </a>
          <Button variant="ghost" busy={leaving} onClick={logout}>
            Log out
          </Button>
        </div>
      </header>
      <nav class="sidebar" aria-label="Sections">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.href}>
              <a href={s.href} aria-current={path.startsWith(s.href) ? "page" : undefined}>
                <span class="icon" aria-hidden="true">
                  {s.icon}
                </span>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="content">
        {children}
      </main>
    </div>
  );
}

/** Accounts pages: one card in the middle. */
export function CardPage({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main id="main" class="card-page">
      <div class="card narrow">
        <a class="brand" href="/">
          <img src="/app/favicon.svg" alt="" width="28" height="28" />
          netsmith
        </a>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}
