// The schemas are in shared/domain, beside the change feed that carries them; offer selection is in ./select,
// script selection and the step a call is on in ./scripts, the file check in ./check.
export {
  offerStatSchema, playbookSchema, storedPlaybookSchema, type OfferStat, type Playbook, type StoredPlaybook,
} from '../domain/playbook';
export { normalisePlaybook } from './migrate';
