import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { PermitsController } from './permits.controller';

@Module({ imports: [DataModule], controllers: [PermitsController] })
export class PermitsModule {}
