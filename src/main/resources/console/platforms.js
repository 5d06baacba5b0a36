// eGain's names for the three platforms, and what each may do (dev.portcullis.grant.ScopePolicy and the grants).

export const PLATFORMS = [
  { value: 'web', label: 'Web' },
  { value: 'spa', label: 'Single Page Application' },
  { value: 'native', label: 'Public Client/Native' },
];

export function platformLabel(value) {
  const platform = PLATFORMS.find((candidate) => candidate.value === value);
  return platform ? platform.label : value;
}

export function isConfidential(platform) {
  return platform === 'web';
}

/** The scope kinds in eGain's order, with the flow that issues each. */
export const KINDS = [
  { value: 'application', label: 'Application', flow: 'Client Credentials: the application acts as itself.' },
  { value: 'delegated', label: 'Delegated', flow: 'A user signs in to the application (Authorization Code with PKCE), '
    + 'or the application exchanges a token it holds for one of this tenant (Token Exchange).' },
  { value: 'on-behalf-of', label: 'On-behalf-of', flow: 'The application asks for a token for a named user or customer, '
    + 'without their sign-in (On-Behalf-Of, grant_type=password).' },
];

export function kindLabel(value) {
  const kind = KINDS.find((candidate) => candidate.value === value);
  return kind ? kind.label : value;
}

/** Why a platform cannot use a kind of scope, or null when it can. */
export function unusableBecause(platform, kind) {
  if (isConfidential(platform) || kind === 'delegated') return null;
  const name = platformLabel(platform);
  return kind === 'application'
    ? `A ${name} application cannot use application scopes: Client Credentials needs a client secret, which a public `
      + 'client cannot keep. Register a Web application for that.'
    : `A ${name} application cannot use on-behalf-of scopes: the On-Behalf-Of request needs a client secret, which a `
      + 'public client cannot keep. Register a Web application for that.';
}
