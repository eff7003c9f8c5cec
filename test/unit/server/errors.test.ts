import { expect } from 'chai';
import { z } from 'zod';
import { HttpError, InputError, fieldErrorsOf, saveForm } from '../../../server/errors.js';
import { validateHallFields, validateHirer } from '../../../server/hallHire/bookingValidation.js';

describe('server/errors: refused input and form errors', () => {
  it('when a save succeeds, then saveForm gives its value', async () => {
    expect(await saveForm(async () => 42)).to.deep.equal({ ok: true, value: 42 });
  });

  it('when a save refuses its input, then saveForm gives the field errors to show again', async () => {
    const errors = { name: { text: 'Enter a name', href: '#name' } };
    const r = await saveForm(async () => {
      throw new InputError(errors);
    });
    expect(r).to.deep.equal({ ok: false, errors });
  });

  it('when a save fails for another reason, then saveForm throws it on to the error handler', async () => {
    const boom = new HttpError(409, 'Already decided');
    let caught: unknown;
    await saveForm(() => {
      throw boom;
    }).catch((err: unknown) => {
      caught = err;
    });
    expect(caught).to.equal(boom);
  });

  it('when a zod form schema refuses fields, then each field gets its first message, linked to its input', () => {
    const schema = z.object({
      name: z.string().min(1, 'Enter a name').max(3, 'Too long'),
      age: z.string().regex(/^\d+$/, 'Enter a whole number'),
    });
    const parsed = schema.safeParse({ name: '', age: 'x' });
    expect(parsed.success).to.equal(false);
    if (parsed.success) return;
    expect(fieldErrorsOf(parsed.error, { age: '#age-years' })).to.deep.equal({
      name: { text: 'Enter a name', href: '#name' },
      age: { text: 'Enter a whole number', href: '#age-years' },
    });
  });

  it('when the hall form is checked, then its schema and the same-name rule give GOV.UK errors in form order', () => {
    const none = () => undefined;
    expect(validateHallFields({ name: '  Main hall ', capacity: ' 120 ' }, none)).to.deep.equal({});
    expect(validateHallFields({ name: '   ', capacity: '12x' }, none)).to.deep.equal({
      hallName: { text: 'Enter the name of the hall or room', href: '#hallName' },
      capacity: { text: 'Capacity must be a whole number of people, like 120', href: '#capacity' },
    });
    expect(validateHallFields({ name: 'x'.repeat(81), capacity: '' }, none).hallName?.text).to.equal(
      'Hall name must be 80 characters or fewer',
    );
    const clash = validateHallFields({ name: 'scout hall', capacity: '1234567' }, () => 'Scout Hall');
    expect(Object.keys(clash)).to.deep.equal(['hallName', 'capacity']);
    expect(clash.hallName?.text).to.equal('This building already has a hall called Scout Hall');
  });

  it('when the hirer form is checked, then a name is needed and an email, if given, must be one', () => {
    const hirer = (hirerName: string, hirerEmail: string) => ({
      hirerName,
      hirerEmail,
      organisation: '',
      otherNames: '',
      charityNumber: '',
      companyNumber: '',
      hirerPhone: '',
      hirerAddress: '',
    });
    expect(validateHirer(hirer('Ann Hirer', ''))).to.deep.equal({});
    expect(validateHirer(hirer('Ann Hirer', ' ann@example.org '))).to.deep.equal({});
    expect(validateHirer(hirer('  ', 'ann@'))).to.deep.equal({
      hirerName: { text: 'Enter the name of the person booking', href: '#hirerName' },
      hirerEmail: { text: 'Enter the hirer’s email address in the correct format', href: '#hirerEmail' },
    });
  });
});
