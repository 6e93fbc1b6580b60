import { Module } from '@nestjs/common';
import { DataModule } from '@app/data';
import { StudentsController } from './students.controller';

@Module({ imports: [DataModule], controllers: [StudentsController] })
export class StudentsModule {}
