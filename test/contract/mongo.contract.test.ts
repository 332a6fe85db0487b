import { storageContract } from './storageContract.js';
import { mongoFactory } from '../helpers/storageFactories.js';

storageContract(mongoFactory);
