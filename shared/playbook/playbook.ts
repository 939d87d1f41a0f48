// The schemas are in shared/domain, beside the change feed that carries them; offer selection is in ./select.
export { offerStatSchema, playbookSchema, type OfferStat, type Playbook } from '../domain/playbook';
