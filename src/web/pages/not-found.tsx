import { Link } from 'react-router';
import { PageHeader } from '../components/layout.js';
import { useTitle } from '../hooks.js';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <>
      <PageHeader title="This page does not exist" />
      <p>The address may be mistyped, or the page may have moved. <Link to="/patients">Go to patients</Link>.</p>
    </>
  );
}

/** A screen the signed-in role may not use (the server would refuse its data anyway). */
export function NotAllowedPage() {
  useTitle('Not allowed');
  return (
    <>
      <PageHeader title="Not available for your role" />
      <p>Your account’s role does not include this screen. If you need it, ask an administrator of your clinic. <Link to="/patients">Go to patients</Link>.</p>
    </>
  );
}
