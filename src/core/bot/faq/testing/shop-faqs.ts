import type { FaqInput } from '../faq-matcher';

/** Test support: a Lagos pharmacy's FAQ as an owner would type it. */
export const PHARMACY_FAQS: FaqInput[] = [
  {
    id: 'hours',
    question: 'What are your opening hours?',
    phrasings: [
      'what time do you open',
      'when do you close',
      'are you open on sunday',
      'are you open today',
      'what time una dey open',
    ],
    enabled: true,
  },
  {
    id: 'delivery',
    question: 'Do you deliver?',
    phrasings: [
      'do you do home delivery',
      'can you deliver to my house',
      'how much is delivery to lekki',
      'how long does delivery take',
      'can you send it to me',
    ],
    enabled: true,
  },
  {
    id: 'payment',
    question: 'How can I pay?',
    phrasings: [
      'do you accept bank transfer',
      'can i pay with card',
      'do you take pos',
      'can i pay on delivery',
      'what is your account number',
    ],
    enabled: true,
  },
  {
    id: 'location',
    question: 'Where is your shop?',
    phrasings: [
      'where are you located',
      'what is your address',
      'which area is your pharmacy',
      'how do i find your shop',
      'send me your location',
    ],
    enabled: true,
  },
  {
    id: 'price-paracetamol',
    question: 'How much is paracetamol?',
    phrasings: [
      'price of paracetamol',
      'how much is panadol',
      'paracetamol cost',
      'how much for emzor paracetamol',
    ],
    enabled: true,
  },
  {
    id: 'returns',
    question: 'Can I return a product?',
    phrasings: [
      'can i return it if it is wrong',
      'do you give refund',
      'i want to exchange what i bought',
      'the drug you sent is expired i want my money back',
    ],
    enabled: true,
  },
  {
    id: 'prescription',
    question: 'Do I need a prescription?',
    phrasings: [
      'do i need a doctor prescription',
      'can i buy antibiotics without prescription',
      'do you sell drugs without prescription',
    ],
    enabled: true,
  },
  {
    id: 'pharmacist',
    question: 'Can I talk to a pharmacist?',
    phrasings: [
      'i want to ask the pharmacist a question',
      'is there a pharmacist available',
      'can the pharmacist advise me',
    ],
    enabled: true,
  },
];
